package com.example;

// A typo of the original (gschat/gschat, 2015-11-15): not converted.
table Sync struct {
    uint32 Offset;
}
