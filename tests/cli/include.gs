// RUN: gsc check -I ../ui/include %
import "shared.gs"
struct Message { Time shared.Timestamp; }
