// Two files with one stem, imported under aliases, are two modules; the
// Rust back end names them by their directories (`x_common`, `y_common`).
import (
    x "same-stem/x/common.gs"
    y "same-stem/y/common.gs"
)

struct Both { A x.Point; B y.Point; }
