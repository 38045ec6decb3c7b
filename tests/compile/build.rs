//! Generates Rust for the test schemas with the build.rs API, in three groups
//! (one output directory each): every `*.gs` of `tests/codegen`, `tests/valid`
//! and `samples`, found by listing the directories, so that a new schema is
//! compiled without being named here; and, apart, one schema that warns by
//! design.

use std::path::{Path, PathBuf};

/// The schemas the groups leave out, each with where it is handled; every
/// other schema of the directories must generate and compile.
const LEFT_OUT: &[(&str, &str)] = &[
    (
        "../codegen/name-clash.gs",
        "fails generation (E0600): gs2rust/tests/codegen.rs `names_that_clash_are_errors`",
    ),
    (
        "../codegen/too-big.gs",
        "fails generation (E0602): gs2rust/tests/codegen.rs `types_too_large_for_rust_are_errors`",
    ),
    (
        "../codegen/invisible-characters.gs",
        "generated apart, by `invisible_characters`",
    ),
];

/// The `*.gs` files directly in `dir`, sorted, less [`LEFT_OUT`].
fn schemas(dir: &str) -> Result<Vec<PathBuf>, gs2rust::Error> {
    // A directory in rerun-if-changed is scanned whole: a new schema reruns this.
    println!("cargo:rerun-if-changed={dir}");
    let entries = std::fs::read_dir(dir)
        .map_err(|e| gs2rust::Error::Io(format!("cannot list `{dir}`: {e}")))?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| gs2rust::Error::Io(format!("cannot list `{dir}`: {e}")))?
            .path();
        let left_out = LEFT_OUT.iter().any(|&(x, _)| path == Path::new(x));
        if path.extension().is_some_and(|e| e == "gs") && path.is_file() && !left_out {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn main() -> Result<(), gs2rust::Error> {
    // An entry that no longer names a file would silently leave out nothing.
    for (path, _) in LEFT_OUT {
        if !Path::new(path).is_file() {
            return Err(gs2rust::Error::Io(format!(
                "`{path}` is listed in LEFT_OUT but does not exist"
            )));
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| {
        gs2rust::Error::Io("OUT_DIR is not set: cargo sets it for build scripts".into())
    })?);
    for (group, dir) in [
        ("codegen", "../codegen"),
        ("valid", "../valid"),
        ("samples", "../../samples"),
    ] {
        gs2rust::Builder::new()
            .out_dir(out.join(group))
            .compile(&schemas(dir)?, &[] as &[&str])?;
    }
    invisible_characters(&out.join("invisible"))
}

/// `invisible-characters.gs` has text-direction controls and lone carriage
/// returns in its comments and strings, which the front end warns about
/// (W0009, W0011) and gs2rust must not write raw. It is generated without the
/// Builder, which would print those warnings in every build of the workspace.
fn invisible_characters(dir: &Path) -> Result<(), gs2rust::Error> {
    let path = PathBuf::from("../codegen/invisible-characters.gs");
    println!("cargo:rerun-if-changed={}", path.display());
    let analysis = gslang_sema::analyze_files(&[path], &gslang_sema::Options::default());
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|&c| c == "W0009" || c == "W0011"),
        "invisible-characters.gs should give W0009 and W0011 warnings only, not {codes:?}"
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
