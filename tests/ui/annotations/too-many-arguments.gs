@Deprecated("old", "older")
struct Message { ID byte; }

@Flag(1)
enum Color { Red }
