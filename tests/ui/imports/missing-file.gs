import "does/not/exist.gs"
import (
    alias "missing_too"
)

// Names through an import that failed are not reported again.
struct Message { ID byte; At exist.Time; By alias.User; }
