@Flag
enum Rights { Read(1), Write(2) }

contract Acl {
    Get(user string) -> Rights;
}
