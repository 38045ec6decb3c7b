fn main() -> Result<(), gs2rust::Error> {
    // OUT_DIR/gslang/{gate,mod}.rs: Session, Error, Expose and the Gate
    // contract's service trait, server and client.
    gs2rust::Builder::new().compile(&["gate.gs"], &[] as &[&str])
}
