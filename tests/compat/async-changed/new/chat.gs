contract Chat {
    Leave(room string);
    @Async
    Typing(room string);
}
