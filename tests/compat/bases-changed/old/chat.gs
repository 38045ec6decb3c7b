contract Health {
    Ping() -> bool;
}

contract Metrics {
    Stats() -> (uint64, uint64);
}

contract Chat(Health, Metrics) {
    Post(text string);
}
