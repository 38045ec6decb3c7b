contract Chat {
    @Async
    Kick(user string) -> (bool, string);
    @Async
    Ping();
}
