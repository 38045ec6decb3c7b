struct Message {
    ID uint64;
    Body string;
}

contract Chat {
    Post(m Message);
}
