// A syntax error in an enum body keeps the values that parsed around it, so
// that the real error is the only one: no "enum has no values" (E0330).
enum E { A(1) B(2) }
enum F { A(1); }
enum G { A(1), B(, C }
enum H { A = 1, B = 2 }
