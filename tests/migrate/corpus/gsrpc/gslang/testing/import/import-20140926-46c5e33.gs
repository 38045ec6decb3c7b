//test gslang's import instruction
import (
    "github.com/gsdocker/gslang/testing" //import testing
)
