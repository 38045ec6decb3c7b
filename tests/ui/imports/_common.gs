// Shared declarations for the import tests.
contract Health {
    Ping() -> (bool);
}

struct Header {
    ID uint32;
}
