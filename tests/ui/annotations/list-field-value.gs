table Tags { Names []string; Fixed [2]int32; }

@Tags("a")
struct A { ID byte; }

@Tags(Fixed: 1)
struct B { ID byte; }

// Leaving them out is fine: they are empty.
@Tags
struct C { ID byte; }
