//test gslang's import instruction
import (
    "github.com/gsdocker/gslang/testing" //import testing
)


//hello
[test()] //world
//import test

[test1] //world
[test2(false)] //world
