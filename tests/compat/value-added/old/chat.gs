enum Status { Offline, Online }

contract Presence {
    Set(s Status);
    Get() -> Status;
}
