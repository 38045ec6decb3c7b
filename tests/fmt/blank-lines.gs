


// Blank lines: at most one between two things, none at the start or end of
// the file or of a body.


struct A {


    X int32;



    Y int32;
    // a comment before the end, after no blank line


}
struct B {} struct C {}



enum E {

    One,


    Two

}



