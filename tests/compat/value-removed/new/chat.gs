enum Status { Offline, Online }

contract Presence {
    Get() -> Status;
}
