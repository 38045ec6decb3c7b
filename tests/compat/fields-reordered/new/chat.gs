struct Position {
    Y float32;
    X float32;
    Z float32;
}

contract World {
    Move(to Position);
}
