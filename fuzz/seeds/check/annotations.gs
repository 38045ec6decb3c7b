// Annotation values of every kind, evaluated into the model.

enum TimeUnit { Millisecond, Second, Minute }

@Flag
enum Perm(uint16) { None(0), Read(1), Write(2), Exec(4), All(7) }

table Duration { Amount uint32; Unit TimeUnit; }

@Usage(Target.Method | Target.Contract)
table Timeout { After Duration; Retries byte; }

table Meta {
    Name string;
    Count int64;
    Big uint64;
    Ratio float64;
    Small float32;
    On bool;
    Level sbyte;
    Rights Perm;
    Unit TimeUnit;
    Tags []string;
    Slot [2]int32;
}

@Meta("module", 1);

@Meta(Name: "everything", Count: -42, Big: 18446744073709551615, Ratio: 2.5e-3,
      Small: 1.5, On: true, Level: -128, Rights: Perm.Read | Perm.Write, Unit: TimeUnit.Minute)
@Deprecated("use Other")
@Meta(Ratio: 3)
struct Annotated {
    @Meta("field") @Deprecated
    ID uint32;
}

@Flag
@Deprecated
enum Flags { @Deprecated("gone") A(1), B(2) }

@Profile
@Timeout(Duration(30, TimeUnit.Second), 3)
contract Service {
    @Profile
    @Timeout(After: Duration(Amount: 500, Unit: TimeUnit.Millisecond))
    Call(@Meta("param") x int32) -> (@Meta("ret") y int32);
    @Async @Deprecated("use Call")
    Fire();
}

@Error
enum ChatError(int32) { NotFound(1), Forbidden(2) }

@gslang.Deprecated("qualified") @gslang.Profile
contract Qualified {}
