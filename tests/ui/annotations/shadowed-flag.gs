// A local `Flag` hides the built-in one: the enum is not a bit set.
table Flag {}

@Flag
enum Access(uint16) { Read(1), Write(2) }

@gslang.Flag
enum Mode { A(1), B(2) }
