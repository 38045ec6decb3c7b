struct Position {
    X float32;
    Y float32;
    Z float32;
}

contract World {
    Move(to Position);
}
