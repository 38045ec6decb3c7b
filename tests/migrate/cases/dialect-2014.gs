// The 2014 dialect: annotations in brackets, its own built-in names.
[gslang.AttrUsage(gslang.AttrTarget.Package|gslang.AttrTarget.Script)]
table Owner {name string;}

[AttrUsage(AttrTarget.Method|AttrTarget.Param|AttrTarget.Return)]
table Traced {}

[Owner("the game team")]

//Who interface
contract Who {
    //WhoAreYou get user name
    [Traced]
    WhoAreYou([Traced] id uint32) -> ([Traced]string /*user name*/,int32)
    Ping()
}
