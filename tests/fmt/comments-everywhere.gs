// Module docs: the block at the top, followed by a blank line.

/* A block comment of its own */ // and a line comment after it
@Flag /* between the annotation and the keyword */
enum /* after the keyword */ Rights /* after the name */ ( /* in the base */ byte /* after it */ ) /* before the brace */ { // after the brace
    Read /* before the number */ ( /* inside */ 1 /* after the number */ ) /* before the comma */ , /* after the comma */ Write(2), // trailing
    // on its own line
    Exec(4) // the last value: a comma is added before this comment
    // at the end of the body
}

struct /* c */ Point /* c */ { /* first field's */ X float32 /* c */ ; Y /* c */ float32; } /* the struct's */

contract C( /* c */ Base /* c */ , /* c */ Other /* c */ ) {
    Move( /* x */ x float32 /* c */ , y /* c */ float32) /* c */ -> /* c */ ( /* c */ bool /* c */ ) /* c */ ; /* c */
    Stats(/* nothing */) -> uint32; // a single return
}

contract Base {}
contract Other {}

/* a comment
   over lines */ struct T {}
// The last comment of the file.
