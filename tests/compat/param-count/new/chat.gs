contract Chat {
    Post(room string, text string, urgent bool);
}
