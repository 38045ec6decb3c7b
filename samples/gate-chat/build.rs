fn main() -> Result<(), gs2rust::Error> {
    // OUT_DIR/gslang/{chat,gate,mod}.rs: chat.gs and the gate's module it
    // imports, found in gsgate's directory.
    gs2rust::Builder::new().compile(&["chat.gs"], &["../../gsgate"])
}
