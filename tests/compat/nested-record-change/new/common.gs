struct Member {
    Name string;
    Since uint64;
}
