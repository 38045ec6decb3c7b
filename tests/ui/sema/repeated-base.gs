contract Base { Ping(); }
contract Twice(Base, Base) { Pong(); }
