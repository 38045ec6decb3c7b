@Flag
enum Perm(byte) {
    None(0), Read(1), Write(2), Exec(4),
    ReadWrite(3),   // fine: a combination
    All(7),         // fine
    Odd(24)         // warning: neither a bit nor a combination
}
