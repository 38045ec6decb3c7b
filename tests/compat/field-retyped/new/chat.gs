struct Member {
    Name string;
    Level int64;
}

contract Room {
    Join(m Member);
    Members() -> ([]Member);
}
