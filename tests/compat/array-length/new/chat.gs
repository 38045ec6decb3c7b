struct Key {
    Bytes [32]byte;
}

contract Vault {
    Open(key Key, salt [16]byte) -> bool;
}
