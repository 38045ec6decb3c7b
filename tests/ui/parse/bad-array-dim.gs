struct Grid {
    Cells [x]byte;
    Ok [4]byte;
}
