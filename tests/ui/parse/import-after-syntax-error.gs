// An import after a syntax error is still reported, and still loaded:
// `shared.Timestamp` resolves.
struct A ( }
import "shared.gs"

struct B { X int32 } import again "shared.gs"

struct C {
    When shared.Timestamp;
}
