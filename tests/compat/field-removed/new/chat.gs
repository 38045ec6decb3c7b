struct Message {
    ID uint64;
    Text string;
}

contract Chat {
    History(room string) -> ([]Message);
}
