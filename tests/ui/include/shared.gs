struct Timestamp {
    Seconds int64;
    Nanos int32;
}
