contract Chat {
    Stats() -> (uint32);
}
