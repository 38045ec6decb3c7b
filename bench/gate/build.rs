fn main() -> Result<(), gs2rust::Error> {
    gs2rust::Builder::new().compile(&["bench.gs"], &["../../gsgate"])
}
