// Schemas may declare names the generated code must not confuse with std's.
struct String { Value string; }
struct Vec { Items []String; }
struct Option { Some bool; }
struct Result { Ok bool; Err string; }
struct Box { Inner []Box; }
enum Ok { Some, None, Default }
struct Default { Result Result; Vec Vec; }
struct Wire { Writer Writer; }
struct Writer { Reader Reader; }
struct Reader { Copy bool; Clone bool; }
struct Self { Self bool; }
contract Clone { Copy(); Debug(); }
