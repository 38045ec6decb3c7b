struct Broken {
    X int32
    Y   int32;
}
