struct Key {
    Bytes [16]byte;
}

contract Vault {
    Open(key Key, salt [8]byte) -> bool;
}
