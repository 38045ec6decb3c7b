// A missing `;` is reported even when its line has a lexical error; only
// errors where the lexer left the tokens short are taken for its echoes.
struct A {
    Id int32 $
    Name strïng
    Next int32;
    Kind = 5;
    @Deprecated("the string takes the `)`)
    Last int32;
}
