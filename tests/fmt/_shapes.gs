// Shapes the other fixtures import.
struct Cell { X int32; Y int32; }
table Duration { Amount uint32; Unit TimeUnit; }
enum TimeUnit { Second, Minute }
@Flag
enum Perm(uint16) { Read(1), Write(2), Admin(0x8000) }
table Limits { Rate float64; Burst int32; Name string; Window Duration; On bool; Rights Perm; }
