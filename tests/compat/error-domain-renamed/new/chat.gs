@Error
enum RoomError(int32) { RoomNotFound(1), NotAMember(2) }

contract Chat {
    Post(text string);
}
