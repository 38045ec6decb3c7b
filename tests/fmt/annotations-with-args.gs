import s "_shapes.gs"

@s.Limits(Rate: 1.5e-3, Burst: -0x10, Name: 'single "quoted"', Window: s.Duration(5, s.TimeUnit.Minute));

@s.Limits( 2.5 , 3 , "positional" , s.Duration( Amount : 1 ) , true , s.Perm.Read|s.Perm.Write | s.Perm.Admin )
@Deprecated
@s.Limits()
struct Limited {
    @Deprecated("use Other")   @s.Limits(Rate:-1.0)
    Field int32;
    @s.Limits(
        Rate: 0.5,
        Burst: 10,   // the burst
        Name: "multi-line arguments",
    Rights: s.Perm.Read
    )
    Other string;
}

@Profile @Deprecated(Note: "old")
contract Service {
    @Async @Profile Ping(@Deprecated   x int32);
}
