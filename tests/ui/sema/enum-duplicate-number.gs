enum Status(uint16) {
    Closed(0), Open(1), Opened(1),
    Gone(3), Back(2), Again
}
