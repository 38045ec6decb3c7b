// Invisible characters outside comments and strings are shown visibly in
// messages and snippets, with a caret under them.
struct A {
    X int32;
    Y​ int32;
    ‮Z int32;
    W int32;
}
