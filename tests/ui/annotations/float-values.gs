table Scale { F float32; D float64; }

@Scale(1e40, 1e400)
struct Bad { ID byte; }

@Scale(-1.5e-3, 42)
struct Good { ID byte; }
