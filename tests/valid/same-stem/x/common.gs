// A point on the grid.
struct Point { X int32; Y int32; }
