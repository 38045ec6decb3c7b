struct Message {
    ID uint64;
    Text string;
}

contract Chat {
    Post(m Message);
}
