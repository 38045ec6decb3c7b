message Foo {
    int32 id = 1;
}

struct Bar {
    ID int32;
}
