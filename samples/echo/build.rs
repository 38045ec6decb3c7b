fn main() -> Result<(), gs2rust::Error> {
    // OUT_DIR/gslang/{echo,mod}.rs: the types, the `Echo` service trait, its
    // server and its client.
    gs2rust::Builder::new().compile(&["echo.gs"], &[] as &[&str])
}
