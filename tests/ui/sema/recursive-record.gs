struct Node {
    Value int32;
    Next Node;
}

struct A { B B; }
struct B { C [4]C; }
struct C { A A; }

// Through a list is fine.
struct Tree { Children []Tree; }
