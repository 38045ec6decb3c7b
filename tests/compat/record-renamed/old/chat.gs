struct Pos {
    X float32;
    Y float32;
}

contract World {
    Move(to Pos);
    Where() -> Pos;
}
