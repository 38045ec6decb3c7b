contract Chat {
    Post(room string, text string);
}
