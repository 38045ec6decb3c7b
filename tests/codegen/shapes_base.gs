// Imported by shapes.gs: cross-module references.
struct Point {
    X float32;
    Y float32;
}
