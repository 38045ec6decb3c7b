contract Chat {
    Join(room string);
    Leave(room string);
    Post(room string, text string);
}
