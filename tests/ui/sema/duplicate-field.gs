struct Message {
    ID byte;
    Content []byte;
    ID int32;
}
