enum Status { Offline, Online, Idle }

contract Presence {
    Set(s Status);
}
