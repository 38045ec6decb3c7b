table Options {
    Verbose bool;
}

struct Limits {
    Rate int32;
}

contract Service {
    Configure(o Options, l Limits);
}
