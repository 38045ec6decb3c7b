// Method ids follow the flattened method list (spec §5).
contract A { A1(); A2(); }
contract B(A) { B1(); }
contract C(A) { C1(); }
// A appears twice in the ancestry: it is kept at its first place only.
contract D(B, C) { D1(); }
contract E(C, B) { E1(); }
