// The built-in module: annotations the language and its back ends give meaning to.
// It is imported implicitly; its names may be used unqualified unless a file
// declares the same name.

// Where an annotation may be placed.
@Flag
enum Target(uint32) {
    Module(1), Table(2), Struct(4), Enum(8), EnumValue(16), Field(32),
    Contract(64), Method(128), Param(256), Return(512)
}

// Restricts an annotation table to some targets.
@Usage(Target.Table)
table Usage { Target Target; }

// The enum is a bit set.
@Usage(Target.Enum)
table Flag {}

// The enum is an error domain.
@Usage(Target.Enum)
table Error {}

// One-way method: the caller does not wait and no reply is sent.
@Usage(Target.Method)
table Async {}

// Generate profiling instrumentation for the method, or every method of the contract.
@Usage(Target.Method | Target.Contract)
table Profile {}

// The item is deprecated.
@Usage(Target.Table | Target.Struct | Target.Enum | Target.EnumValue | Target.Field | Target.Contract | Target.Method)
table Deprecated { Note string; }

// Codes of the errors the RPC layer itself reports (wire.md).
@Error
enum Fault(int32) {
    UnknownService(1), UnknownMethod(2), BadRequest(3), Internal(4),
    Unavailable(5), Timeout(6)
}
