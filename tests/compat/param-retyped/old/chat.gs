contract Chat {
    Post(room string, text string);
    Kick(user uint32);
}
