import me "self-import.gs"

struct A { ID byte; }
