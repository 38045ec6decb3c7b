// Two gslang names that become one Rust name are an error.
struct Message {
    FooBar int32;
    foo_bar int32;
}

struct CER { ID byte; }
struct Cer { ID byte; }

enum Mode { ReadOnly, READ_ONLY }

// A contract's generated items take names in its module: `ChatClient` is
// its client.
contract Chat { Send(text string); }
struct ChatClient { ID byte; }

// An unnamed param is `arg0`, `arg1`, … by position.
contract Params { M(string, arg0 int32); }

// Inherited methods share the methods enum and the trait: reported once.
contract Greeter { SayHello(); }
contract Polite(Greeter) { say_hello(); }
