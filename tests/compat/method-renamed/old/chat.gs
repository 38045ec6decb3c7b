contract Chat {
    Join(room string);
    Say(room string, text string);
}
