// RUN: gsc check --color never %
// `folder.gs` exists but is a directory: it cannot be read.
import "folder.gs"
struct Message { ID byte; }
