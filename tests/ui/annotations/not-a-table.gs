struct Meta { Name string; }
enum Level { Low }
contract Service {}

@Meta("x")
@Level
@Service
struct Message { ID byte; }
