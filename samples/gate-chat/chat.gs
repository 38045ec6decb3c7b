import "gate.gs" // the gate's module, shipped with gsgate (found with -I)

// Why a chat call failed.
@Error
enum ChatError(int32) { UserExists(1), BadLogin(2), NotLoggedIn(3), TooLong(4) }

// A message said in a room.
struct Said { Room string; From string; Text string; SentAt int64; }

// Accounts: clients register, then log in (which binds their session).
@gate.Expose
contract Account {
    Register(s gate.Session, user string, password string) -> (uint64); // the new user's id
    Login(s gate.Session, user string, password string) -> (uint64);    // binds the session; the user's id
}

// Rooms: join to hear what is said there, and say things.
@gate.Expose
contract Room {
    Join(s gate.Session, @gate.Key room string) -> ([]Said); // up to the last 50 messages, oldest first
    Leave(s gate.Session, @gate.Key room string);
    Say(s gate.Session, @gate.Key room string, text string) -> (int64); // the message's SentAt
}

// What the chat server pushes to clients.
contract Client {
    @Async
    OnSaid(m Said);
}
