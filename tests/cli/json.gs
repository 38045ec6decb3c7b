// RUN: gsc check --message-format json %
struct Message {
    ID int8;
}
