package com.example.game;

using gslang.Exception;
using gslang.Flag;
using gslang.Package; // per-language package names

@Package(Lang:"golang",Name:"com.example.game",Redirect:"github.com/example/game")

// A cell of the map.
table Cell {
    byte[]      Terrain;    // one byte per layer
    KV[12][128] Props;      // postfix arrays keep their order
    string[4]   Names;
    com.example.game.Pos    Where;  // a full name of this package
}

table KV {
    string Key;
    string Value;
}

@gslang.POD
table Pos { int32 X; int32 Y; }

@Flag
enum Rights {
    Read(1), Write(2), Admin(4)
}

// Thrown when a cell is outside the map.
@Exception
table OutOfMap {
    Pos Where;
}

// The world service.
contract World {
    // Looks a cell up.
    Cell Get(Pos where) throws (OutOfMap);
    /* no reply */
    @gslang.Async
    void Touch(Pos where, Rights rights);
    void Reset();
    Pos[] Path(Pos from, Pos to);
}
