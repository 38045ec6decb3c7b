package com.example;

// 2015 enums were `int32`; `byte` is the default now.
enum Service {
    Unknown(1), MailHub(200), Gateway(300)
}

enum Small { A, B, C }
