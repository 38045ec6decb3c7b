contract Health {
    Ping() -> bool;
}

contract Metrics {
    Stats() -> (uint64, uint64);
}

contract Chat(Metrics, Health) {
    Post(text string);
}
