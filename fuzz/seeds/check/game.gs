// The game-server messages used by the codec benchmarks.
import "common.gs"

enum Kind(byte) {
    Move, Attack, Chat, Spawn, Despawn,
}

struct Item {
    ID uint32;
    Count uint16;
    Name string;
}

// A typical game message: a few scalars, a name and a small inventory.
struct GameMessage {
    ID uint64;
    Kind Kind;
    Position common.Vec3;
    HP int32;
    Name string;
    Alive bool;
    Items []Item;
}

// A key and a large binary payload.
struct Blob {
    Key string;
    Data []byte;
}

// A large array of floats.
struct Floats {
    Values []float32;
}

contract World(common.Health) {
    Update(msg GameMessage);
    Snapshot(region [4]int32) -> ([]GameMessage);
}
