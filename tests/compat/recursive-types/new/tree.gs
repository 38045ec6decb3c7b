struct Node {
    Value int64;
    Children []Node;
}

contract Trees {
    Put(root Node);
}
