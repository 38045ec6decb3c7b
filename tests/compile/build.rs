//! Generates Rust for the test schemas with the build.rs API, in three groups
//! (one output directory each).

use std::path::PathBuf;

fn main() -> Result<(), gs2rust::Error> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    gs2rust::Builder::new()
        .out_dir(out.join("codegen"))
        .compile(
            &[
                "../codegen/big-values.gs",
                "../codegen/doc-text.gs",
                "../codegen/shapes.gs",
                "../codegen/std-names.gs",
            ],
            &[] as &[&str],
        )?;
    gs2rust::Builder::new().out_dir(out.join("valid")).compile(
        &[
            "../valid/annotations.gs",
            "../valid/docs.gs",
            "../valid/empty.gs",
            "../valid/every-construct.gs",
            "../valid/inheritance.gs",
            "../valid/recursion-through-lists.gs",
            "../valid/same-stem.gs",
            "../valid/seed-examples.gs",
            "../valid/spec-example.gs",
        ],
        &[] as &[&str],
    )?;
    gs2rust::Builder::new()
        .out_dir(out.join("samples"))
        .compile(
            &["../../samples/chat.gs", "../../samples/game.gs"],
            &[] as &[&str],
        )
}
