struct Message { ID byte; }
enum Color { Red }

contract Chat(Message, Color, Missing) {}
