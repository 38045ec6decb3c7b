struct Room {
    Name string;
}

contract Rooms {
    Get(name string) -> Room;
}

contract Chat {
    Post(text string);
}
