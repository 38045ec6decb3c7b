contract Health {
    Ping() -> bool;
    Version() -> string;
}
