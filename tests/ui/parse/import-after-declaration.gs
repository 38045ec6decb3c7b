struct Message {
    ID byte;
}

import "common.gs"
