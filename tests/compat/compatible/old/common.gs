contract Health { Ping() -> bool; }
