enum Status(uint16) { Closed, Open }

struct Message {
    State Stauts;
    Kind status;
    Other Nothing;
}
