enum Status { Offline, Away, Online }

contract Presence {
    Set(s Status);
}
