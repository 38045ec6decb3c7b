import "_common.gs"

struct Message {
    H _common.Heder;
    O _common.Nothing;
}

contract Admin(_common.Helth) {}
