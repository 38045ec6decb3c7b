@Deprecate("old")
struct Message { ID byte; }

@Asnyc
struct Other { ID byte; }

// Suggestions are tables only: not the struct `Point`, nor the contract `Paint`.
@Pont
struct Point { X int32; }
contract Paint { Draw(); }

// And types are never contracts: `Paint` is not suggested for `Pain`.
struct Canvas { Brush Pain; }
