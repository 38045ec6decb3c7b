// A file that starts with a byte order mark: it is skipped, as protoc and rustc do.
struct A {
    X int32
}
