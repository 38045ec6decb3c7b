// A file that is not UTF-8 throughout.
struct Café {
    Name string; // naïve ÿþ
}
