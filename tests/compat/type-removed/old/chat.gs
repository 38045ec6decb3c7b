struct Unused {
    X int32;
}

enum Mood { Happy, Sad }

contract Chat {
    Post(text string);
}
