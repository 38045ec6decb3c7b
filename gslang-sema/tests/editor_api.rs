//! What editors use: the overlay loader (unsaved buffers over the files on
//! disk) and the parsed modules of an analysis with errors.

use std::path::PathBuf;

use gslang_sema::{Options, OverlayLoader, analyze};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gslang-sema-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

#[test]
fn an_overlay_shadows_files_on_disk_and_adds_unsaved_ones() {
    let dir = temp_dir("overlay");
    std::fs::write(
        dir.join("a.gs"),
        "import \"b.gs\"\nimport \"new.gs\"\nstruct A { B b.B; N new.N; }",
    )
    .unwrap();
    std::fs::write(dir.join("b.gs"), "struct Old {}").unwrap();
    let mut loader = OverlayLoader::new();
    // `b.gs` as the editor has it, and `new.gs` not saved yet.
    loader.add(dir.join("b.gs"), "struct B {}");
    loader.add(dir.join("./new.gs"), "struct N {}");
    let analysis = analyze(&[dir.join("a.gs")], &Options::default(), &mut loader);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert!(analysis.model.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parsed_modules_are_kept_when_there_are_errors() {
    let analysis = gslang_sema::analyze_source("m.gs", "struct S { X Nope; }");
    assert!(analysis.has_errors() && analysis.model.is_none());
    let (_, m) = analysis
        .modules
        .iter()
        .find(|(_, m)| !m.is_builtin)
        .unwrap();
    assert_eq!(m.name, "m");
    assert_eq!(m.ast.items.len(), 1);
    assert!(
        analysis
            .modules
            .iter()
            .any(|(_, m)| m.is_builtin && m.name == "gslang")
    );
}
