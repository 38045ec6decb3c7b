// A chat service: rooms, members and messages.
import "common.gs"

// Why a chat call failed.
@Error
enum ChatError(int32) {
    RoomNotFound(1),
    NotAMember(2),
    MessageTooLong(3),
}

// What a member may do in a room.
@Flag
enum Rights(byte) {
    None(0),
    Read(1),
    Write(2),
    Moderate(4),
    All(7),
}

// One message in a room.
struct ChatMessage {
    ID uint64;          // unique within the room
    From string;        // the sender's name
    Text string;
    SentAt int64;       // unix time in milliseconds
}

// A member of a room.
struct Member {
    Name string;
    Rights Rights;
}

// The chat service: rooms hosted by one node.
@Profile
contract Chat(common.Health) {
    // Joins a room and returns the latest messages.
    Join(room string, member Member) -> (history []ChatMessage);
    // Posts a message; returns its id.
    Post(room string, text string) -> (uint64);
    // Leaves a room. No reply is sent.
    @Async
    Leave(room string);
    @Deprecated("use Join")
    Enter(room string);
}
