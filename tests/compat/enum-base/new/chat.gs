enum Status(uint32) { Offline(0), Online(1) }

contract Presence {
    Set(s Status);
}
