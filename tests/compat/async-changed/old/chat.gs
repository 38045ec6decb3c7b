contract Chat {
    @Async
    Leave(room string);
    Typing(room string);
}
