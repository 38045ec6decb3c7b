// A local `Target` hides `gslang.Target` in `Target.Table`.
enum Target { Table, Field }

@Usage(Target.Table)
table Column { Name string; }
