// Module documentation: the first block, followed by a blank line.

// Documentation of Point.
// It has two lines.
struct Point { // and a trailing comment on the opening line
    // The horizontal position.
    X float32;
    Y float32; // The vertical position.

    // Detached comment: a blank line separates it from Z.

    Z float32;
}

/// Triple slashes work too.
enum Mode {
    // First mode.
    A,
    B, // Second mode.
    C
}

contract Docs {
    // Greets.
    Hello(
        // Who to greet.
        name string,
        times uint32 // How many times.
    ) -> (
        // Whether it worked.
        ok bool
    );
}

/* A block comment */ // and a line comment on one line: both are docs.
struct Mixed {}

// A block comment before an item on its line is that item's, not the
// previous item's trailing comment.
struct OneLine {
    A int32; /* of B */ B int32;
    C int32; /* of C */
}

enum Packed { A /* of A */, /* of B */ B, C /* of C */ }

// Above the annotation,
@Deprecated("old")
// and between the annotation and the declaration: both are docs.
struct Annotated {
    @Deprecated // after a field's annotation
    F int32;
}
