// RUN: gsc check --message-format short %
struct Message {
    ID int8;
    ID byte;
}
