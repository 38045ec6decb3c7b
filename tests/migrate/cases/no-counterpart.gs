package com.example;

table Bad {
    int Count;      // 2014's `int` was never a type
    void Nothing;
}

// An enum needs a value now.
enum Empty {
}
