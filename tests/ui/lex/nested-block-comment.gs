// Block comments do not nest: the first `*/` ends the comment, and a later
// `*/` is stray. Syntax errors in the text between are not reported.
struct S {
    /* a /* b */ c */
    X int32;
}

/* outer
   /* inner */
   still meant as a comment
*/
struct T {}

struct U { X int32; } */
