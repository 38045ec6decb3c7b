import (
    x "_x/common.gs"
    y "_y/common.gs"
)

struct Message { A x.X; B y.Y; }
