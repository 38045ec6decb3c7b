enum Status { Offline, Online, Away }

contract Presence {
    Set(s Status);
    Get() -> Status;
}
