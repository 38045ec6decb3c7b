enum Mask(uint16) { Low(0x), High(0x80) }
