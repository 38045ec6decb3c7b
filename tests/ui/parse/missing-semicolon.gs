struct Message {
    ID byte
    Content []byte;
}
