import "_cycle_b.gs"

struct A { B []_cycle_b.B; }
