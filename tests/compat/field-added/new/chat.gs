struct Message {
    ID uint64;
    Text string;
    SentAt int64;
}

contract Chat {
    Post(m Message) -> (bool);
}
