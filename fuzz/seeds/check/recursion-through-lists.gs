// Containment through a list is fine, also through other records.
struct Tree {
    Value int32;
    Children []Tree;
}

struct A { B B; }
struct B { As []A; Fixed [2]Leaf; }
struct Leaf { Value int32; }
