// An import after a syntax error is still reported, and still loaded:
// `shared.Timestamp` resolves.
struct A ( }
import "shared.gs"

struct B { X int32 } import again "shared.gs"

struct C {
    When shared.Timestamp;
}
// Fields are written name first; the type-first order of other IDLs (and
// of gslang's old dialect) is an error that suggests the fix.
struct B {
    int32 x;
    []byte Data;
    @Deprecated [4]float32 Pos;
    Fine string;
}
// Block comments do not nest: the first `*/` ends the comment, and a later
// `*/` is stray. Syntax errors in the text between are not reported.
struct S {
    /* a /* b */ c */
    X int32;
}

/* outer
   /* inner */
   still meant as a comment
*/
struct T {}

struct U { X int32; } */
// A syntax error in an enum body keeps the values that parsed around it, so
// that the real error is the only one: no "enum has no values" (E0330).
enum E { A(1) B(2) }
enum F { A(1); }
enum G { A(1), B(, C }
enum H { A = 1, B = 2 }
// Spec §1 writes hexadecimal literals `0x2A` and exponents `2e10`: the
// uppercase forms are errors that suggest the lowercase ones.
enum Mask(uint16) { Low(0X0F), High(0x80) }

table Limits { Max float64; Min float64; }

@Limits(2E10, 1.5E-3)
struct S {}
// Text-direction controls in comments and strings are warned about: they can
// make the source display differently from what it is ("Trojan Source").
struct Account {
    // Only for admins‮ ⁦and auditors⁩⁦
    Balance int64;
    @Deprecated("use Balance‏")
    Old int64; /* a carriage returnin the middle */
    Escaped string; // "\u{202e}" written as an escape is visible: no warning
}
