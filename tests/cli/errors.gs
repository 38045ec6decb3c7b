// RUN: gsc check --color never %
// Errors in several places are all reported, then a summary; exit 1.
struct Message {
    ID byte;
    Kind Stauts;
}

enum Status { Open, Closed, Open }

@Flag
enum Perm { Read(1), Write(2), Odd(12) }
