package com.example.chat;

using gslang.Exception;

// A schema of the original toolchain's 2015 dialect: `gsc check` says so
// (N0107) and points at `gsc migrate`.
table Message {
    string Text;
}
