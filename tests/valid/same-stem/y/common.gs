// A point in space.
struct Point { X float32; Y float32; Z float32; }
