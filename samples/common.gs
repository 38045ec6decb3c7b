// Types shared by the sample services.

// A point in the game world, in meters.
struct Vec3 {
    X float32;
    Y float32;
    Z float32;
}

// Health checks every service answers.
contract Health {
    // Answers true while the service accepts calls.
    Ping() -> (bool);
}
