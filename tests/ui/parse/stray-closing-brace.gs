struct A {
    X int32;
}
}
struct B {
    Y int32;
}
