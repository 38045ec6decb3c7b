//! Generates `shop.gs` into `OUT_DIR/gslang/`, with the plugin of
//! `plugin.rs`: `@Derive` becomes derives, `@Range` a `validate()` method.

#[path = "plugin.rs"]
mod plugin;

fn main() -> Result<(), gs2rust::Error> {
    gs2rust::Builder::new()
        .rpc(false)
        .plugin(plugin::Shop)
        .compile(&["shop.gs"], &[] as &[&str])
}
