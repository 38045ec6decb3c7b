@Deprecated("use the new one)
struct Old {
    ID byte;
}
