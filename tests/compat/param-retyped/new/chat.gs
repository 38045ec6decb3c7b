contract Chat {
    Post(room uint64, text string);
    Kick(user []byte);
}
