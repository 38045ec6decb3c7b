package com.example.common;

table Id { uint64 Value; }
