// Two gslang names that become one Rust name are an error.
struct Message {
    FooBar int32;
    foo_bar int32;
}

struct CER { ID byte; }
struct Cer { ID byte; }

enum Mode { ReadOnly, READ_ONLY }
