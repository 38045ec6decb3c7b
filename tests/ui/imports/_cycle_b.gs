import cyc "import-cycle.gs"

struct B { A cyc.A; }
