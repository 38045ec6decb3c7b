contract A(C) { Ping(); }
contract B(A) { Pong(); }
contract C(B) {}

contract Derived(A) {}
