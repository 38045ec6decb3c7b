fn main() -> Result<(), gs2rust::Error> {
    // Generates OUT_DIR/gslang/{chat,common,mod}.rs; `..` is searched for imports
    // after each file's own directory.
    gs2rust::Builder::new().compile(&["../chat.gs"], &[".."])
}
