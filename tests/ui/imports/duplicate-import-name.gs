import (
    "_common.gs"
    _common "_other.gs"
)

struct Message { H _common.Header; }
