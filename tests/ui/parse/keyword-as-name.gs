struct Message {
    string string;
    ID byte;
}
