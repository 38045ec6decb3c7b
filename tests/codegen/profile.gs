// `@Profile` (spec §7) on methods and on contracts: only profiled methods
// get instrumentation, through `<CONTRACT>_PROFILE` descriptors.

// One method profiled, the others not.
contract Store {
    Get(key string) -> (string);
    @Profile
    Put(key string, value string) -> (bool);
    @Async
    Forget(key string);
}

// A contract profiled whole, inheriting a contract that is not: its
// inherited methods are profiled where it serves them.
@Profile
contract ProfiledStore(Store) {
    @Async
    Flush();
    AVeryLongMethodNameThatPushesTheDispatchArmPastTheLineWidthOfPrettyplease(first_argument_with_a_long_name int64, second uint16) -> (string, uint64);
}

// A base profiled whole: a derived contract that is not profiled serves
// the base's methods profiled, and its own not.
@Profile
contract Audited {
    Audit();
}

contract Derived(Audited) {
    Plain() -> (int32);
}
