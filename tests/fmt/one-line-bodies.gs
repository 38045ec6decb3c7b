struct Point{X float32;Y float32;} table Empty{} table Spaced {   }
enum Color{Red,Green,Blue} contract Tiny{Ping()->bool;}
struct Two { A int32; B int32;
  C int32; D int32; }
