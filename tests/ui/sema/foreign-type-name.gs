// Names from other IDLs and languages get the gslang spelling.
struct Message {
    A int8;
    B uint8;
    C double;
    D bytes;
    E String;
    F int;
}
