contract Chat {
    Post(text string) -> (id uint64);
}
