import gslang "_common.gs"

struct Message { ID byte; }
