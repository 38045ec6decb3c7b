// A chat service: formatting, comments and annotations changed, nothing else.
import "common.gs"

// Why a call failed.
@Error
enum ChatError(int32) {
    RoomNotFound(1),
    NotAMember(2),
}

struct Message {
    ID uint64;   // unique
    Text string;
}

@Profile
contract Chat(common.Health) {
    @Deprecated("use Send")
    Post(room string, m Message) -> uint64;
    @Async
    Leave(room string);
}
