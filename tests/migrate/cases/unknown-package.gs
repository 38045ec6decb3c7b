package com.example;

using com.other.Device; // no file of the run declares com.other
using gslang.Timeout;   // not a built-in of the 2015 dialect

table Session {
    Device Device;
}
