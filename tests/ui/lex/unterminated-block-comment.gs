struct Message {
    ID byte;
}

/* This comment is never closed.
struct Other {
    ID byte;
}
