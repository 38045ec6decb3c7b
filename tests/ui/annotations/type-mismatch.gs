table Meta { Name string; Count int32; On bool; Ratio float64; }

@Meta(42, "many", 1, "half")
struct Message { ID byte; }

@Meta(Name: true, Count: 1.5, On: Yes)
struct Other { ID byte; }
