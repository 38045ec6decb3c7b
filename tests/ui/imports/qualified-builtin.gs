// The built-in module can be named explicitly, even when a local name hides it.
table Deprecated { Reason string; }

@gslang.Deprecated("use New")
struct Old { ID byte; }

@Deprecated(Reason: "local table")
struct Other { ID byte; }
