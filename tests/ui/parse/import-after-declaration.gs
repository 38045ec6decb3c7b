struct Message {
    ID byte;
}

import "shared.gs"
