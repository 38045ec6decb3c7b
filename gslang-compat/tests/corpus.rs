//! The compatibility rules, one case per rule: `tests/compat/<rule>/old/`
//! and `new/` hold two versions of a schema set (compared as directories,
//! as `gsc compat old new` does), and the rendered report is snapshotted.
//! A test checks that every code of the registry is shown by some case.

use std::path::{Path, PathBuf};

use gslang_sema::{MemoryLoader, Options};
use gslang_syntax::{Severity, diag};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/compat")
}

/// The `*.gs` files under `dir`, as paths relative to `base`, sorted.
fn files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "gs") {
            out.push(path.strip_prefix(base).expect("under base").to_path_buf());
        }
    }
}

/// Compares `case/old` with `case/new`; the codes reported and the report.
fn compare(case: &Path) -> (Vec<&'static str>, String) {
    let mut loader = MemoryLoader::new();
    let mut roots = [Vec::new(), Vec::new()];
    for (side, roots) in ["old", "new"].into_iter().zip(&mut roots) {
        files(&case.join(side), case, roots);
        for rel in roots.iter() {
            loader.add(rel, std::fs::read(case.join(rel)).expect("readable"));
        }
    }
    let [old_roots, new_roots] = roots;
    let old = gslang_sema::analyze(&old_roots, &Options::default(), &mut loader.clone());
    let new = gslang_sema::analyze(&new_roots, &Options::default(), &mut loader);
    for (side, analysis) in [("old", &old), ("new", &new)] {
        assert!(
            analysis.model.is_some(),
            "{}/{side} has errors: {:?}",
            case.display(),
            analysis.diagnostics
        );
    }
    let (old_model, new_model) = (old.model.expect("checked"), new.model.expect("checked"));
    let options = gslang_compat::Options {
        old_root: Some(PathBuf::from("old")),
        new_root: Some(PathBuf::from("new")),
        pair_roots: false,
    };
    let comparison =
        gslang_compat::compare(&old_model, old.sources, &new_model, new.sources, &options);
    let count = |s: Severity| {
        comparison
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    let mut out = format!(
        "{} errors, {} warnings, {} notes; compatible: {}\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
        comparison.is_compatible()
    );
    if !comparison.diagnostics.is_empty() {
        out.push('\n');
    }
    for d in &comparison.diagnostics {
        out.push_str(&diag::render(&comparison.sources, d));
    }
    let codes = comparison.diagnostics.iter().map(|d| d.code).collect();
    (codes, out)
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/compat")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn corpus() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for case in cases() {
            let name = case
                .file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8 name")
                .to_owned();
            let (_, report) = compare(&case);
            insta::assert_snapshot!(name, report);
        }
    });
}

#[test]
fn every_code_has_a_case() {
    let mut seen = std::collections::BTreeSet::new();
    for case in cases() {
        seen.extend(compare(&case).0);
    }
    let missing: Vec<&str> = gslang_compat::CompatError::CODES
        .iter()
        .map(|c| c.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "no case in tests/compat shows {missing:?}"
    );
}

#[test]
fn a_compatible_change_set_reports_nothing() {
    let (codes, report) = compare(&cases_dir().join("compatible"));
    assert!(codes.is_empty(), "{report}");
}
