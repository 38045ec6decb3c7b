contract Health {
    Ping() -> bool;
}

contract Chat(Health) {
    Post(text string);
}
