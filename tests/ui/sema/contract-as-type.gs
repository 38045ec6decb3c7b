contract Chat { Send(text string); }

struct Message {
    Peer Chat;
    Peers []Chat;
}

contract Relay {
    Forward(to Chat) -> ([]Chat);
}
