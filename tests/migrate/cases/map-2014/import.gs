// A 2014 import of a package directory, replaced by a file with
// `--map github.com/example/testing=vendor/common.gs`.
import (
    "github.com/example/testing"
)

table Wrapper {
    Inner testing.Inner;
}
