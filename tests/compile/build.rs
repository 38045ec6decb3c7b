//! Generates Rust for the test schemas with the build.rs API, in three groups
//! (one output directory each), and for one schema that warns by design.

use std::path::{Path, PathBuf};

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
    invisible_characters(&out.join("invisible"))?;
    gs2rust::Builder::new()
        .out_dir(out.join("samples"))
        .compile(
            &["../../samples/chat.gs", "../../samples/game.gs"],
            &[] as &[&str],
        )
}

/// `invisible-characters.gs` has text-direction controls and lone carriage
/// returns in its comments and strings, which the front end warns about
/// (W0009) and gs2rust must not write raw. It is generated without the
/// Builder, which would print those warnings in every build of the workspace.
fn invisible_characters(dir: &Path) -> Result<(), gs2rust::Error> {
    let path = PathBuf::from("../codegen/invisible-characters.gs");
    println!("cargo:rerun-if-changed={}", path.display());
    let analysis = gslang_sema::analyze_files(&[path], &gslang_sema::Options::default());
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|&c| c == "W0009"),
        "invisible-characters.gs should give W0009 warnings only, not {codes:?}"
    );
    let model = analysis
        .model
        .as_ref()
        .expect("a schema with warnings only has a model");
    let mut options = gs2rust::GenOptions::default();
    options.mod_style = gs2rust::ModStyle::Include;
    let files =
        gs2rust::generate(model, &options).map_err(|d| gs2rust::Error::Schema(format!("{d:?}")))?;
    gs2rust::write_files(dir, &files)
}
