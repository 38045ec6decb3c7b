// One run reports every syntax error it can recover from.
struct A {
    X int32
    Y int32;
}

enum E { One Two, Three }

contract C {
    Ping(;
    Pong();
}

table T { Z int32 }

struct B {
    Fine int32;
}
