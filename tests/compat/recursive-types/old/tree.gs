struct Node {
    Value int32;
    Children []Node;
}

contract Trees {
    Put(root Node);
}
