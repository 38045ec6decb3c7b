enum Status(uint16) { Offline, Online }

struct Presence {
    User string;
    Status uint16;
}

contract Chat {
    Who() -> ([]Presence);
    Set(s Status);
}
