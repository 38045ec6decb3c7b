import "_bad-name.gs"

struct Message { ID byte; }
