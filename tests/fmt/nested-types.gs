import "_shapes.gs"
struct Nested{
  A [  ]  [ 4 ]   []  int32  ;
    B [2][ 0x10 ]_shapes.Cell;
C [][]  _shapes . Cell;
      D [ 65535 ] byte;
}
contract Grids { Get( at [2]uint16 , rows [][4]_shapes.Cell ) -> ( [][]_shapes.Cell , [8]byte ); }
