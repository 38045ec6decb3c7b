enum Rights { None, Read, Write }

contract Acl {
    Get(user string) -> Rights;
}
