// A 2014 import of a package directory has no counterpart.
import (
    "github.com/example/common" // the shared types
)

table Hello {
    Text string;
}
