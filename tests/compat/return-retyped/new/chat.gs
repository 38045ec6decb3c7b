contract Chat {
    Post(text string) -> (id string);
}
