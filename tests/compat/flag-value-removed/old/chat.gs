@Flag
enum Rights { Read(1), Write(2), Moderate(4) }

contract Acl {
    Get(user string) -> Rights;
}
