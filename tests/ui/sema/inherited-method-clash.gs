contract Left { Hello(); Left(); }
contract Right { Hello(); Right(); }

// Both bases have `Hello`.
contract Both(Left, Right) {}

// The own method clashes with an inherited one.
contract Child(Left) { Left(); }

// A descendant of `Both` does not repeat the error.
contract GrandChild(Both) {}
