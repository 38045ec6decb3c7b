//! The cases of `tests/migrate/cases/`: one per conversion rule and
//! diagnostic. A case is a `.gs` file, or a directory whose `.gs` files are
//! migrated together (but those under `vendor/`, which stand for files of
//! other repositories, already migrated; a `MAPS` file holds the `--map`
//! options, `PACKAGE=path` a line). Each snapshot shows the sources, the
//! rendered diagnostics, the converted files and what the semantic pass
//! says of them.
//!
//! Review changes with `cargo insta review`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gslang_migrate::{COMPAT_FILE, COMPAT_SOURCE, Input, Options, migrate};
use gslang_sema::MemoryLoader;
use gslang_syntax::SourceMap;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/migrate/cases")
}

/// Every `.gs` under `dir`, as paths relative to it, sorted.
fn schemas(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir.join(rel))
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = PathBuf::from(path.file_name().expect("a name"));
        if path.is_dir() {
            schemas(dir, &rel.join(name), out);
        } else if name.extension().is_some_and(|e| e == "gs") {
            out.push(rel.join(name));
        }
    }
}

/// Migrates a case and describes what happened.
fn run(case: &Path) -> (String, BTreeSet<String>) {
    let (dir, files) = if case.is_dir() {
        let mut files = Vec::new();
        schemas(case, Path::new(""), &mut files);
        (case.to_path_buf(), files)
    } else {
        let dir = case.parent().expect("in cases/").to_path_buf();
        (dir, vec![PathBuf::from(case.file_name().expect("a name"))])
    };
    let root = Path::new("/case");
    let mut sources = SourceMap::new();
    let mut inputs = Vec::new();
    let mut vendor = Vec::new();
    let mut out = String::new();
    for file in &files {
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let _ = write!(out, "----- SOURCE {}\n{text}\n", file.display());
        if file.starts_with("vendor") {
            vendor.push((root.join(file), text));
            continue;
        }
        let id = sources
            .add(file.display().to_string(), None, text.into_bytes())
            .expect("small");
        inputs.push(Input {
            id,
            path: root.join(file),
        });
    }
    let maps = std::fs::read_to_string(dir.join("MAPS"))
        .ok()
        .filter(|_| case.is_dir())
        .map(|text| {
            text.lines()
                .filter_map(|l| l.split_once('='))
                .map(|(p, f)| (p.to_owned(), root.join(f)))
                .collect()
        })
        .unwrap_or_default();
    let options = Options {
        maps,
        compat_path: root.join(COMPAT_FILE),
    };
    let outcome = migrate(&sources, &inputs, &options);
    let mut codes = BTreeSet::new();
    out.push_str("----- DIAGNOSTICS\n");
    for d in &outcome.diagnostics {
        codes.insert(d.code.to_owned());
        out.push_str(&gslang_syntax::diag::render(&sources, d));
    }
    let mut loader = MemoryLoader::new();
    for (path, text) in &vendor {
        loader.add(path, text.as_bytes());
    }
    if outcome.needs_compat {
        loader.add(&options.compat_path, COMPAT_SOURCE);
    }
    let mut roots = Vec::new();
    for (input, migrated) in inputs.iter().zip(&outcome.files) {
        let name = input.path.strip_prefix(root).expect("under the root");
        match &migrated.text {
            Some(text) => {
                let _ = write!(out, "----- OUTPUT {}\n{text}", name.display());
                loader.add(&input.path, text.as_bytes());
                roots.push(input.path.clone());
            }
            None => {
                let _ = writeln!(out, "----- OUTPUT {}: not converted", name.display());
            }
        }
    }
    out.push_str("----- CHECK\n");
    if !roots.is_empty() {
        let analysis = gslang_sema::analyze(&roots, &gslang_sema::Options::default(), &mut loader);
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        if errors.is_empty() {
            out.push_str("ok\n");
        }
        for d in errors {
            out.push_str(&gslang_syntax::diag::render(&analysis.sources, d));
        }
    }
    (out, codes)
}

#[test]
fn every_case() {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("cases dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "gs"))
        .collect();
    entries.sort();
    let mut shown = BTreeSet::new();
    for case in &entries {
        let (out, codes) = run(case);
        shown.extend(codes);
        let name = case
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(name, out);
    }
    let missing: Vec<&str> = gslang_migrate::PHASES
        .iter()
        .flat_map(|p| p.codes)
        .map(|c| c.id)
        .filter(|id| !shown.contains(*id))
        .collect();
    assert!(missing.is_empty(), "codes without a case: {missing:?}");
}

/// Every prefix of the cases (cut anywhere, mid-token included) migrates
/// without panicking, and what it converts parses.
#[test]
fn truncated_inputs_never_panic() {
    for name in [
        "dialect-2015.gs",
        "dialect-2014.gs",
        "using-across-files/sub/service.gs",
    ] {
        let text = std::fs::read_to_string(cases_dir().join(name)).expect("readable");
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let mut sources = SourceMap::new();
            let id = sources
                .add("cut.gs", None, text.as_bytes()[..end].to_vec())
                .expect("small");
            let inputs = [Input {
                id,
                path: PathBuf::from("cut.gs"),
            }];
            let outcome = migrate(&sources, &inputs, &Options::default());
            if let Some(out) = &outcome.files[0].text {
                assert!(
                    gslang_fmt::format_str(out).is_ok(),
                    "{name} cut at {end}: the output does not parse\n{out}"
                );
            }
        }
    }
}
