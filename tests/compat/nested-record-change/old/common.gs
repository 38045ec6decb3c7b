struct Member {
    Name string;
    Since int64;
}
