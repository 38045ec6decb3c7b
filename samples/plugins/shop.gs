// The plugins sample: a schema with annotation tables of its own, which the
// build script's plugin (`plugin.rs`) turns into Rust. gslang checks where
// each may go (`@Usage`) and the type of each argument; the plugin decides
// what they mean.

// Derives a Rust trait for the generated type. Annotations cannot write
// lists, so a type derives several traits with several `@Derive`s.
@Usage(Target.Table | Target.Struct)
table Derive { Trait string; }

// The inclusive range of an integer field: the type gets a `validate()`
// method that checks every ranged field.
@Usage(Target.Field)
table Range { Min int64; Max int64; }

// (gs2rust derives `Hash` and `Eq` itself where the fields allow it: a
// `@Derive` of a trait it derives is merged, not repeated.)
@Derive("PartialOrd") @Derive("Ord") @Derive("Hash")
struct Money { Cents int64; }

@Derive("PartialOrd")
table Item {
    Name string;
    @Range(Min: 1, Max: 99)
    Count int32;
    @Range(0, 1000000)
    Cents uint32;
}

table Order {
    ID uint64;
    Items []Item;
    @Range(Min: -10, Max: 10)
    Priority int16;
}
