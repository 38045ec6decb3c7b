contract Chat {
    Join(room string);
    Post(room string, text string);
    Leave(room string);
}
