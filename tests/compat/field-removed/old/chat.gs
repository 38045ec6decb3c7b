struct Message {
    ID uint64;
    From string;
    Text string;
}

contract Chat {
    History(room string) -> ([]Message);
}
