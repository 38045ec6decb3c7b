@Error
enum EchoError(int32) { Negative(1), TooLong(2) }

// Every method is profiled: its calls are timed into `metrics` and traced
// (echo-server --metrics ADDR shows them).
@Profile
contract Echo {
    Echo(text string) -> (string);
    Add(a int32, b int32) -> (int32);
    Sqrt(x int32) -> (int32); // EchoError.Negative when x < 0
    Pair() -> (string, uint64);
    @Async
    Notify(text string);
    Count() -> (uint64); // how many Notify calls arrived
}
