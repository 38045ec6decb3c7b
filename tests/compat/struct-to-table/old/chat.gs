struct Options {
    Verbose bool;
}

table Limits {
    Rate int32;
}

contract Service {
    Configure(o Options, l Limits);
}
