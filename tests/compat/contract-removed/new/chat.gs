contract Chat {
    Post(text string);
}
