contract Chat {
    Post(text string);
}

contract Legacy {
    Poll() -> ([]string);
}
