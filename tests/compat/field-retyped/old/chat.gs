struct Member {
    Name string;
    Level int32;
}

contract Room {
    Join(m Member);
    Members() -> ([]Member);
}
