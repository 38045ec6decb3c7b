// The gate's module: what a gslang schema needs to expose contracts to the
// clients of a gsgate, and the contract through which servers act on them.
// Import it as `import "gate.gs"`; gsgate serves it to `--schema` itself,
// and build scripts find it in gsgate's directory (`gsgate::GATE_GS_DIR`).

// Who called: the first param of every exposed method, filled in by the
// gate (clients send only the params after it).
struct Session {
    Gate string;   // the gate's name: where the session lives
    ID uint64;     // the session, unique on its gate
    UserID uint64; // the user bound with Gate.Bind, or 0
    Addr string;   // the client's address
}

// The data of a Response whose data type is 1 (an error).
struct Error {
    Domain []byte;  // the 16-byte id of the @Error enum, or empty for a gslang.Fault
    Code int32;     // the value
    Message string; // the value's name
}

// Exposes a contract to the clients of a gate: its methods become the
// routes `module.Contract.Method`, each of which takes a gate.Session first.
@Usage(Target.Contract)
table Expose {
    Sticky bool; // each user's calls go to one instance, chosen by user id; otherwise round robin
}

// Routes the calls of an exposed method by the param it marks (one, after
// the session): the gate picks, among the instances hosting the contract,
// the one with the highest SipHash-2-4 (keys 0) of its address (`IP:PORT`),
// a 0xFF byte and the argument's encoding (rendezvous hashing), so that every
// gate sends one key to one instance, and only the keys of an instance
// that comes or goes move. It takes precedence over `Sticky`.
@Usage(Target.Param)
table Key {}

// Hosted by the gate on every connection to a backend: how servers act on clients.
contract Gate {
    Bind(session uint64, user uint64) -> (bool);                        // false when the session is gone; an older session of the user is kicked
    Push(user uint64, route string, data []byte, ack bool) -> (uint32); // to every session of the user; with ack, waits for their Acks; the sessions reached
    Kick(user uint64, reason string) -> (uint32);                       // the sessions kicked
    Join(group string, session uint64) -> (bool);                       // false when the session is gone
    Leave(group string, session uint64) -> (bool);                      // whether it was a member
    Broadcast(group string, route string, data []byte) -> (uint32);     // encoded once, written to every member; the members reached
}
