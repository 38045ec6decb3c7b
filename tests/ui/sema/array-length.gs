struct Grid {
    Empty [0]byte;
    Huge [70000]byte;
    Negative [-1]byte;
    Max [65535]byte;
    Overflow [99999999999999999999]byte;
}
