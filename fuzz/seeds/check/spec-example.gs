// The example of the language reference, section 2, made complete.
import (
    "common.gs"              // referenced as common.X
    proto "net/protocol.gs"  // referenced as proto.X
)

table Description { Text string; }

@Description("the cluster protocol");

// The cluster message type
struct Message {
    ID byte;          // message type
    Content []byte;   // content data
    Envelope proto.Envelope;
}

enum Status(uint16) {
    Closed(0), Disconnected(1), Connecting(2), InConnected(3),
    OutConnected(4), Online(5), Offline(6), Unreachable(7)
}

enum Color { Red, Green, Blue }    // byte; values 0, 1, 2

contract SampleActor {
    SayHello(string) -> (bool);
    Move(x float32, y float32, z float32);
    Stats() -> (uint32, uint64);
}

contract Admin(SampleActor, common.Health) {
    @Async
    Kick(user string, reason string);
}
