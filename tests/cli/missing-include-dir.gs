// RUN: gsc check --color never -I no/such/dir -I ../ui/include %
// An include directory that does not exist is a warning; the rest goes on.
import "shared.gs"
struct Message { Time shared.Timestamp; }
