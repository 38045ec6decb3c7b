// Health checks shared by every service.
contract Health {
    Ping() -> (bool);
}
