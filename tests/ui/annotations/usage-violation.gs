@Usage(Target.Field)
table Column { Name string; }

@Column("nope")
struct Message {
    @Column("id") ID byte;
    @Flag Content []byte;
}

@Async
enum Color { Red }

contract Chat {
    @Column("send") Send(@Deprecated text string) -> (@Column("ok") bool);
}
