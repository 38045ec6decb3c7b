// A schema of the original toolchain's 2014 dialect, whose annotations are
// written in brackets: `gsc check` says so (N0107) and points at `gsc migrate`.
[Description("a message")]
table Message {
    Text string;
}
