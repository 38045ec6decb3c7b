@Deprecated("tab \t, newline \n, bad \q, unicode \u{1F600}, surrogate \u{D800}, malformed \u12")
struct Old {
    ID byte;
}
