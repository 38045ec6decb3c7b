import "does/not/exist.gs"
import (
    "missing_too"
)

struct Message { ID byte; }
