// The RPC benchmark's message and contract: the codec benchmark's
// GameMessage (samples/game.gs, with Vec3 from samples/common.gs), echoed.

enum Kind(byte) {
    Move, Attack, Chat, Spawn, Despawn,
}

struct Vec3 {
    X float32;
    Y float32;
    Z float32;
}

struct Item {
    ID uint32;
    Count uint16;
    Name string;
}

struct GameMessage {
    ID uint64;
    Kind Kind;
    Position Vec3;
    HP int32;
    Name string;
    Alive bool;
    Items []Item;
}

contract GameEcho {
    // Answers with the message it was given.
    Echo(msg GameMessage) -> (GameMessage);
}

// The same, `@Profile`d: each call is timed into `metrics` on both sides.
@Profile
contract ProfiledGameEcho {
    Echo(msg GameMessage) -> (GameMessage);
}
