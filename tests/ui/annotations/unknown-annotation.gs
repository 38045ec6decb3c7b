@Deprecate("old")
struct Message { ID byte; }

@Asnyc
struct Other { ID byte; }
