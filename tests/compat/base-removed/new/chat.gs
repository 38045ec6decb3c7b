contract Health {
    Ping() -> bool;
}

contract Chat {
    Post(text string);
}
