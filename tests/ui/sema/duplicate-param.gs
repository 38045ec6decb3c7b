contract Geometry {
    Move(x float32, y float32, x float32);
    Size() -> (w uint32, w uint32);
    Fine(x float32) -> (x float32);
}
