// Every type shape the generator and the codec handle.
import "shapes_base.gs"

enum Small { A, B, C }
enum Signed(sbyte) { Neg(-128), Zero(0), Pos(127) }
enum Short(int16) { Low(-300), High(300) }
enum Word(uint16) { Max(65535) }
enum Wide(int32) { Min(-2147483648), Max(2147483647) }
enum Huge(uint32) { Max(4294967295) }

@Flag
enum Perm(uint16) { None(0), Read(1), Write(2), Exec(4), All(7) }

// Every scalar.
struct Scalars {
    A bool;
    B byte;
    C sbyte;
    D int16;
    E uint16;
    F int32;
    G uint32;
    H int64;
    I uint64;
    J float32;
    K float64;
    L string;
}

struct Empty {}

// Lists, arrays and their nestings.
struct Containers {
    Bytes []byte;
    Strings []string;
    Nested [][]byte;
    Floats []float32;
    Doubles []float64;
    Ints []int64;
    Bools []bool;
    Fixed [4]float32;
    Grid [3][3]int16;
    Big [40]byte;
    Bigger [1000]uint16;
    Mixed [4][]string;
    Records []Scalars;
    FixedRecords [2]shapes_base.Point;
    Enums []Small;
    Flags [2]Perm;
    Empties []Empty;
}

// Copy and Eq are derived where every field allows them.
struct Plain {
    ID uint32;
    Kind Signed;
    Where shapes_base.Point;
    Bits Perm;
    Pair [2]uint64;
}

// Recursion through lists is fine; decoding counts its depth.
struct Tree {
    Value int32;
    Children []Tree;
}

struct Ping { Pongs []Pong; }
struct Pong { Pings []Ping; Depth byte; }

// Rust keywords and names that need escaping.
struct Keywords {
    Type string;
    self byte;
    match int32;
    crate bool;
    super bool;
    async bool;
}

/// Documentation, deprecation.
@Deprecated("use Plain")
struct Old {
    // The identifier.
    @Deprecated
    ID uint32;  // trailing
}

enum Status(uint16) {
    Closed(0),
    @Deprecated("gone")
    Gone(1),
    Open(2),
}

contract Base {
    Ping() -> (bool);
}

@Profile
contract Service(Base) {
    Get(id uint32) -> (Scalars);
    Put(value Scalars, flags Perm);
    @Async
    Fire(event string);
    @Deprecated("use Get")
    Fetch(uint32) -> (Scalars, bool);
}

contract Nothing {}
