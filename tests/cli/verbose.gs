// RUN: gsc check -v %
import "../../samples/common.gs"
struct Message { Where common.Vec3; }
