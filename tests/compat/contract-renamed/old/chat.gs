contract Chat {
    Post(text string);
    Leave();
}
