//! UI tests: every `.gs` under `ui/` is checked and its rendered diagnostics
//! are compared with a snapshot in `snapshots/`. Files and directories whose
//! names start with `_` are helpers that other tests import.
//!
//! Review changes with `cargo insta review`.

use std::collections::BTreeSet;
use std::path::Path;

use gslang_tests::{check_file, render_diagnostics};

fn is_helper(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('_'))
        || rel.starts_with("ui/include")
}

#[test]
fn ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!("ui/**/*.gs", |path| {
        let rel = path
            .strip_prefix(root)
            .expect("globbed under the manifest dir");
        if is_helper(rel) {
            return;
        }
        let analysis = check_file(rel);
        let source = String::from_utf8_lossy(&std::fs::read(path).expect("readable")).into_owned();
        let diagnostics = render_diagnostics(&analysis);
        // A schema without errors must produce a model, and one with errors must not.
        assert_eq!(
            analysis.model.is_some(),
            !analysis.has_errors() && analysis.root_errors.is_empty(),
            "model presence disagrees with the errors of {}",
            rel.display()
        );
        insta::assert_snapshot!(format!(
            "----- SOURCE\n{source}\n----- DIAGNOSTICS\n{diagnostics}"
        ));
    });
}

/// Every diagnostic code the front end can emit is shown by at least one UI test.
#[test]
fn every_diagnostic_code_has_a_ui_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut codes = BTreeSet::new();
    for phase in gslang_syntax::errors::PHASES
        .iter()
        .chain(gslang_sema::PHASES)
    {
        codes.extend(phase.codes.iter().map(|c| c.id.to_owned()));
    }
    assert!(codes.len() > 40, "found only {} codes", codes.len());
    let mut shown = String::new();
    for entry in std::fs::read_dir(root.join("snapshots")).expect("snapshots dir") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().contains("ui@") {
            shown.push_str(&std::fs::read_to_string(&path).expect("snapshot"));
        }
    }
    // Codes whose inputs do not fit a UI test, each checked elsewhere.
    let elsewhere = [
        "E0102", // 100+ syntax errors: robustness::too_many_syntax_errors
        "E0201", // an unreadable file: cli::unreadable_import
        "E0205", // a file over 4 GiB: not tested
        "E0354", // 65536 methods: robustness::too_many_methods
    ];
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| !elsewhere.contains(&code.as_str()))
        .filter(|code| !shown.contains(&format!("[{code}]")))
        .collect();
    assert!(missing.is_empty(), "no UI test shows {missing:?}");
}
