// `shared.gs` is not next to this file: it is found through the include dir.
import "shared.gs"
import qualified "shared"

struct Message {
    Time shared.Timestamp;
    Again qualified.Timestamp;
}
