//this script defined gslang builtin types:
//byte,sbyte,int16,uint16,int32,uint32,int64
//uint64,bool,float32,float64,string

struct Byte{}
struct Sbyte{}

struct Int16{}
struct Uint16{}

struct Int32{}
struct Uint32{}

struct Int64{}
struct Uint64{}

struct Float32{}
struct Float64{}

struct Bool{}
struct String{}
