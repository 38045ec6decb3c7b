// The examples of the documents gslang grew from.

// The cluster message type
struct Message {
    ID byte;          //message Type
    Content []byte;   //content data
}

enum Status(uint16){
    Closed(0), Disconnected(1), Connecting(2), InConnected(3),
    OutConnected(4), Online(5), Offline(6), Unreachable(7)
}

contract SampleActor {
    SayHello(string) -> (bool);
}
