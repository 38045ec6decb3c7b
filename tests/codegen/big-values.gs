// Values too large for the stack. Arrays whose elements take over 4 KiB are
// boxed, decoded in place on the heap and built there by Default; recursive
// records count the bytes of their nesting as well as its depth.

// 16 MiB in one array.
struct Huge {
    M [4096][4096]byte;
}

// A list of large arrays.
struct Rows {
    R [][4096][4096]byte;
}

// Each level is boxed where its elements, as spelled, take over 4 KiB.
struct Cube {
    C [300][300][300]byte;
    Pair [2][5000]byte;
    Page [4096]byte;
}

// Recursive, with a large array (boxed): each level is small.
table Node {
    Kids []Node;
    Pad [2000]uint64;
}

// Recursive, with 4,000 bytes inline (just under the boxing threshold).
table Fat {
    Kids []Fat;
    Pad [500]uint64;
}

// Recursive through arrays: each level holds the arrays too.
table Chain {
    Kids [][1][1]Chain;
    Pad [500]uint64;
}

// Strings in boxed arrays (1.5 MB in `N`): neither Copy nor a derived
// Default or Clone, which would build the arrays on the stack.
struct Names {
    N [65535]string;
    Pages [][2000]string;
    Pair [2][3000]string;
    Count uint32;
}

// Fixed arrays of empty records cost nothing whatever the input.
struct E {}

struct Empties {
    A [40000]E;
    B [40000]E;
}
