// Fields are written name first; the type-first order of other IDLs (and
// of gslang's old dialect) is an error that suggests the fix.
struct B {
    int32 x;
    []byte Data;
    @Deprecated [4]float32 Pos;
    Fine string;
}
