contract Chat {
    Send(text string);
    Send(text string, to string);
}
