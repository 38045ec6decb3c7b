import "_shapes.gs"
contract Methods {
    NoArgs();
    Unnamed(string, int32) -> (bool);
    Single() -> _shapes.Cell;
    InParens() -> (_shapes.Cell);
    Named(x float32,y float32,z float32)->(ok bool,code int32);
    Broken(
        first string,
        second []byte
    ) -> (
        result bool
    );
    HalfBroken(first string,
               second []byte) -> bool;
    CommentedParams(
        x int32, // the x
        yyyy int32 // the y
    );
    @Async
    Fire(what string);
    EmptyWithComment(
        // nothing yet
    );
}
