enum Rights { Read(1), Write(2) }

contract Acl {
    Grant(user string, r Rights);
}
