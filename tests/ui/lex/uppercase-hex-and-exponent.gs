// Spec §1 writes hexadecimal literals `0x2A` and exponents `2e10`: the
// uppercase forms are errors that suggest the lowercase ones.
enum Mask(uint16) { Low(0X0F), High(0x80) }

table Limits { Max float64; Min float64; }

@Limits(2E10, 1.5E-3)
struct S {}
