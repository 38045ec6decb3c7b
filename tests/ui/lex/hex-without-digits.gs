enum Mask(uint16) { Low(0x), High(0x80) }

// Reported once, not again as an array length of 0.
struct Grid { Cells [0x]byte; }
