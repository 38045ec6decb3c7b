table Limits { B byte; S sbyte; U uint16; I int32; L uint64; N int64; }

@Limits(256, -129, 65536, 2147483648, -1, -9223372036854775809)
struct Bad { ID byte; }

@Limits(255, -128, 65535, 2147483647, 18446744073709551615, -9223372036854775808)
struct Good { ID byte; }
