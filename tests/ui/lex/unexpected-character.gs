struct Message {
    ID byte;
    Content $ []byte;
    Kind = 5;
    # not a comment
}
