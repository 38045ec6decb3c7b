contract Chat {
    Join(room string);
    Enter(room string);
    Post(room string, text string);
    Leave(room string);
}
