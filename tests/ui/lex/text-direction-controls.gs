// Text-direction controls in comments and strings are warned about: they can
// make the source display differently from what it is ("Trojan Source").
struct Account {
    // Only for admins‮ ⁦and auditors⁩⁦
    Balance int64;
    @Deprecated("use Balance‏")
    Old int64; /* a carriage returnin the middle */
    Escaped string; // "\u{202e}" written as an escape is visible: no warning
}
