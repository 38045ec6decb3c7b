table Range { Min int32; Max int32; }

@Range(Min: 1, Max: 10, Min: 2)
struct Message { ID byte; }
