contract Chat {
    Join(room string);
    Ping() -> bool;
    Post(room string, text string);
    Leave(room string);
}
