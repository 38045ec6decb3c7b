struct Message { ID byte; }
enum Message { A }
contract Message {}
