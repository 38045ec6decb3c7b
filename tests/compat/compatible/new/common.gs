// Shared contracts.
contract Health {
    Ping() -> (bool);
}
