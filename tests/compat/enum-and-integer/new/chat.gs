enum Status(uint16) { Offline, Online }

struct Presence {
    User string;
    Status Status;
}

contract Chat {
    Who() -> ([]Presence);
    Set(s uint16);
}
