package com.example;

using gslang.Exception;

// An `@Exception` enum is an error domain.
@Exception
enum Failure {
    NotFound(1), Busy(2)
}

contract Store {
    string Get(string key) throws (Failure);
}
