struct Point {
    X float32;
    Y float32;
}

contract World {
    Move(to Point);
    Where() -> Point;
}
