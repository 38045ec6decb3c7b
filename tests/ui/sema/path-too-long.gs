struct Message {
    X a.b.C;
}
