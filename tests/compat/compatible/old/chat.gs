// A chat service.
import "common.gs"

@Error
enum ChatError(int32) { RoomNotFound(1), NotAMember(2) }

struct Message { ID uint64; Text string; }

contract Chat(common.Health) {
    Post(room string, m Message) -> (uint64);
    @Async
    Leave(room string);
}
