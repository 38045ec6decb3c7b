import "_common.gs"

struct Message {
    H commn.Header;
    B proto.Body;
}
