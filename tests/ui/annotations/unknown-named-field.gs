table Range { Min int32; Max int32; }

@Range(Min: 1, Mx: 10)
struct Message { ID byte; }

@Deprecated(Reason: "old")
struct Other { ID byte; }
