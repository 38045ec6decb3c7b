// RUN: gsc check %
// A clean schema: no output, exit 0.
struct Message {
    ID byte;
    Content []byte;
}
