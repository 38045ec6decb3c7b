import "_common.gs"
import "_common.gs"
import also "_common.gs"

struct Message { H also.Header; }
