table Description { Text string; }

@Description("the chat protocol");
@Async;
@Deprecated("wrong target");

struct Message { ID byte; }
