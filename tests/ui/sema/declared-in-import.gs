import "../imports/_common.gs"

struct Message {
    H Header;
}
