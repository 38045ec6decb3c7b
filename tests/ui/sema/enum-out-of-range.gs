enum Small { A(255), B }
enum Signed(sbyte) { Low(-129), High(127) }
enum Unsigned(uint16) { Negative(-1), Max(65535) }
enum Wide(uint32) { Big(0x100000000) }
enum Word(int16) { Max(32767), Next }
enum Huge(int32) { X(99999999999999999999) }
