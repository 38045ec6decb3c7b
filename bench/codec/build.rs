//! Generates the benchmarked types from `samples/game.gs` into
//! `OUT_DIR/gslang/{common,game,mod}.rs`; `common.gs` is found beside `game.gs`.

fn main() -> Result<(), gs2rust::Error> {
    gs2rust::Builder::new().compile(&["../../samples/game.gs"], &[] as &[&str])
}
