@Error
enum ChatError(int32) { RoomNotFound(1) }

contract Chat {
    Post(text string);
}
