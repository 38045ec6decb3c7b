// Every construct of the language in one file.

/* Block comments
 * document too. */
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

table Containers {
    Bytes []byte;
    Strings []string;
    Nested [][]byte;
    Fixed [4]float32;
    Grid [3][3]int16;
    Mixed [4][]string;
    Records []Scalars;
    Enums [2]Signed;
}

struct Empty {}

enum Signed(sbyte) { Neg(-128), Zero(0), Pos(127) }
enum Auto(int32) { A, B(10), C, D(-5), E }
enum Trailing { One, Two, }

// Keyword-like names that are not keywords.
struct Names {
    Type string;
    self byte;
    match int32;
    _private bool;
}

contract Empty2 {}

contract Methods {
    NoArgs();
    Unnamed(string, int32) -> (bool);
    Named(x float32, y float32) -> (ok bool, reason string);
    Single() -> []Scalars;
    Qualified() -> gslang.Fault;
    WithTypes(a []byte, b [2]Auto, c Containers);
}
