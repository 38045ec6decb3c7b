import "common.gs"

struct Room {
    Name string;
    Members []common.Member;
}

contract Lobby {
    List() -> ([]Room);
    Get(name string) -> Room;
    Count() -> uint32;
}

contract Admin(Lobby) {
    Create(r Room);
}
