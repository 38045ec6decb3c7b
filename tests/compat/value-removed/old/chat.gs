enum Status { Offline, Online, Away }

contract Presence {
    Get() -> Status;
}
