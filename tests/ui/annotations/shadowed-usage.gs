// A local struct `Usage` hides the built-in annotation table.
struct Usage { Where int32; }

@Usage(Target.Table)
table Column { Name string; }
