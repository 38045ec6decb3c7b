contract Chat {
    Post(room string, body string) -> (uint64);
}
