// Values keep their grouping on lines; a multi-line body ends with a comma.
enum Status(uint16){
  Closed(0), Disconnected(1), Connecting(2), InConnected(3),
      OutConnected(4), Online(5), Offline(6), Unreachable(7)
}

enum Code { WhoAmI(0), Accept(1), Reject(2), DHExchange(3), Call(4), Return(5), CER(6), ErrReturn(7), }

enum Signed(sbyte) {
    Min(-128), MinusOne( - 1 ), Zero, One, // numbered on from the previous value
    Hex(0x7F)
}

@Error
enum Errors(int32) {
    NotFound(1),      // a short one
    PermissionDenied(2), // a longer one
    // a group
    Timeout(3),

    Unavailable(4),   // after a blank line: its own alignment block
}
