contract Chat {
    Post(room string, text string) -> (id uint64);
}
