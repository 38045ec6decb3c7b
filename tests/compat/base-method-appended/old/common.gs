contract Health {
    Ping() -> bool;
}
