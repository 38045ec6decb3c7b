// Types whose values would be too large for any Rust value: gs2rust refuses
// them (E0602) rather than writing Rust that rustc rejects.

// 147,564,945,596,578,005,000 bytes: reported at the field.
struct T {
    M [65535][65535][65535][65535]uint64;
}

// Boxed or in a list, the elements are still too large.
struct Rows {
    R [][65535][65535][65535][65535]byte;
}

// Each field fits, not the three together.
struct Thirds {
    A [4096][65535][65535][65535]byte;
    B [4096][65535][65535][65535]byte;
    C [4096][65535][65535][65535]byte;
}

// Only `T` is reported, not the records that hold one.
struct Holder {
    In T;
    All [2]T;
}

// Large (2 PB), but within the bound: not reported.
struct Fine {
    F [65535][65535][65535]uint64;
}
