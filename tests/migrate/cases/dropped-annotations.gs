package com.example;

using gslang.Flag;
using gslang.Async;

// `@Flag` on a table, `@Async` on a table: kept as comments.
@Flag
@Async
table NotFound {}

contract C {
    void Call(@Async string x);
}
