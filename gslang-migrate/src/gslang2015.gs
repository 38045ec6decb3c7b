// gslang2015: the built-ins of the original Go toolchain's 2015 dialect that
// the current language has no counterpart for, declared so that schemas
// converted by `gsc migrate` keep them. gsc migrate writes this file beside
// the schemas it converts; code generators give these annotations no meaning.
//
// The wire format of the 2015 toolchain is not this one's: peers generated
// from the old schemas cannot talk to peers generated from the converted ones
// (see docs/migrate.md).

// A table that methods may throw (2015: `@gslang.Exception` on a table).
@Usage(Target.Table | Target.Struct)
table Exception {}

// One exception a method declared with `throws (...)`: its type, as the
// converted schema names it. A method has one per exception, in order.
@Usage(Target.Method)
table Throws { Exception string; }

// The serializer wrote the table in its compact form (2015: `@gslang.POD`).
@Usage(Target.Table | Target.Struct)
table POD {}

// The package of the code generated for one language (2015: `@gslang.Package`).
@Usage(Target.Module)
table Package { Lang string; Name string; Redirect string; }

// The language and package of the generated code (early 2015: `@gslang.Lang`).
@Usage(Target.Module)
table Lang { Name string; Package string; }

// Every field of the annotation table is optional (2015: `@gslang.Optional`).
@Usage(Target.Table)
table Optional {}

// The units of a `Duration` (2015: `gslang.TimeUnit`, spelled as it was).
enum TimeUnit { Hour, Minute, Second, Millisecond, Micoseconds, Naosecond }

// A length of time (2015: `gslang.Duration`).
table Duration { Value int32; Unit TimeUnit; }
