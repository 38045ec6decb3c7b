struct Vec2 {
    X float32;
    Y float32;
}

struct Size {
    W float32;
    H float32;
}

contract Window {
    Resize(to Vec2);
}
