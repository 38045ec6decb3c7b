// What the formatter moves never changes which item a comment documents.
struct A {} /* A's */ /* B's, before it on its line */ struct B {}
struct C { X int32; /* Y's */ Y int32; } // C's
struct D { /* X's */ X int32;
    Y int32; /* Y's */ }
struct E { // E's
    X int32; // X's
}
@Deprecated // E2's, between its annotation and it
struct E2 {}
