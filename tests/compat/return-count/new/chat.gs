contract Chat {
    Stats() -> (uint32, uint64);
}
