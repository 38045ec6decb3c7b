struct Other {
    ID uint32;
}
