struct Room {
    Name string;
}

contract Rooms {
    Get(name string) -> Room;
}
