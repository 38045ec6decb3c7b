// `@Usage` with no target makes its table usable nowhere: said at the declaration.
@Usage
table Nowhere {}

@Usage(Target.Field)
table Column { Name string; }

@Nowhere
struct S { X byte; }
