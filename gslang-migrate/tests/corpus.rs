//! Every schema of the original project's public repositories, migrated and
//! checked.
//!
//! `tests/migrate/corpus/SNAPSHOTS` lists, for each commit of gsrpc/gslang,
//! gslang/gsrpc, gsrpc/gorpc, gsrpc/jvmrpc and gschat/gschat that changed a
//! schema, the schemas of its tree (`path=fixture`); the fixtures are every
//! version of every schema those repositories hold (see the corpus README).
//! Each snapshot is migrated together, as a user would migrate a checkout;
//! gschat's schemas use types of package `com.gsrpc` from gslang/gsrpc, which
//! come from `--map com.gsrpc=…` to the newest `gsrpc.gs`, migrated. The
//! output must pass the semantic pass without errors, but for the snapshots
//! listed in `EXPECTED`, which were broken in their own dialect too; the
//! report of every snapshot is snapshotted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gslang_migrate::{COMPAT_FILE, COMPAT_SOURCE, Input, Options, migrate};
use gslang_sema::MemoryLoader;
use gslang_syntax::SourceMap;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/migrate/corpus")
}

struct Snapshot {
    repo: String,
    commit: String,
    date: String,
    /// Path in the repository, fixture path under the corpus.
    files: Vec<(String, String)>,
}

fn snapshots() -> Vec<Snapshot> {
    let text = std::fs::read_to_string(corpus().join("SNAPSHOTS")).expect("SNAPSHOTS");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut words = line.split_whitespace();
            let repo = words.next().expect("repo").to_owned();
            let commit = words.next().expect("commit").to_owned();
            let date = words.next().expect("date").to_owned();
            let files = words
                .map(|w| {
                    let (path, fixture) = w.split_once('=').expect("path=fixture");
                    (path.to_owned(), fixture.to_owned())
                })
                .collect();
            Snapshot {
                repo,
                commit,
                date,
                files,
            }
        })
        .collect()
}

/// The result of migrating and checking one snapshot.
struct Checked {
    /// Migration diagnostics, rendered.
    report: String,
    /// Codes of the migration's diagnostics.
    codes: Vec<&'static str>,
    /// Error codes of the semantic pass over the output.
    check_errors: Vec<String>,
    /// Converted files, by repository path.
    outputs: Vec<(String, String)>,
}

/// A package mapped to a file, and the files (path, text) it needs.
type Map = (String, PathBuf, Vec<(PathBuf, String)>);

fn run(snapshot: &Snapshot, root: &str, maps: &[Map]) -> Checked {
    let mut sources = SourceMap::new();
    let mut inputs = Vec::new();
    for (path, fixture) in &snapshot.files {
        let bytes = std::fs::read(corpus().join(fixture)).expect("fixture");
        let id = sources
            .add(
                format!("{}@{}/{path}", snapshot.repo, snapshot.date),
                None,
                bytes,
            )
            .expect("small");
        inputs.push(Input {
            id,
            path: Path::new(root).join(path),
        });
    }
    let options = Options {
        maps: maps
            .iter()
            .map(|(p, f, _)| (p.clone(), f.clone()))
            .collect(),
        compat_path: Path::new(root).join(COMPAT_FILE),
    };
    let outcome = migrate(&sources, &inputs, &options);
    let mut report = String::new();
    for d in &outcome.diagnostics {
        report.push_str(&gslang_syntax::diag::render(&sources, d));
    }
    let codes = outcome.diagnostics.iter().map(|d| d.code).collect();
    let mut loader = MemoryLoader::new();
    for (_, _, files) in maps {
        for (file, text) in files {
            loader.add(file, text.as_bytes());
        }
    }
    if outcome.needs_compat {
        loader.add(&options.compat_path, COMPAT_SOURCE);
    }
    let mut roots = Vec::new();
    let mut outputs = Vec::new();
    for ((path, _), (input, migrated)) in
        snapshot.files.iter().zip(inputs.iter().zip(&outcome.files))
    {
        if let Some(text) = &migrated.text {
            loader.add(&input.path, text.as_bytes());
            roots.push(input.path.clone());
            outputs.push((path.clone(), text.clone()));
        }
    }
    again(snapshot, &inputs, &outcome.files, &options);
    let mut check_errors = Vec::new();
    if !roots.is_empty() {
        let analysis = gslang_sema::analyze(&roots, &gslang_sema::Options::default(), &mut loader);
        for d in analysis.diagnostics.iter().filter(|d| d.is_error()) {
            check_errors.push(gslang_syntax::diag::render(&analysis.sources, d));
        }
    }
    Checked {
        report,
        codes,
        check_errors,
        outputs,
    }
}

/// Migrating the converted files again changes nothing and says nothing.
fn again(
    snapshot: &Snapshot,
    inputs: &[Input],
    migrated: &[gslang_migrate::Migrated],
    options: &Options,
) {
    let mut sources = SourceMap::new();
    let mut again = Vec::new();
    let mut texts = Vec::new();
    for (input, m) in inputs.iter().zip(migrated) {
        let Some(text) = &m.text else { continue };
        let id = sources
            .add(
                input.path.display().to_string(),
                None,
                text.as_bytes().to_vec(),
            )
            .expect("small");
        again.push(Input {
            id,
            path: input.path.clone(),
        });
        texts.push(text);
    }
    let outcome = migrate(&sources, &again, options);
    let codes: Vec<_> = outcome.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes.is_empty(),
        "{} {}: migrated again: {codes:?}",
        snapshot.repo,
        snapshot.commit
    );
    for ((input, m), text) in again.iter().zip(&outcome.files).zip(texts) {
        assert_eq!(
            m.text.as_ref(),
            Some(text),
            "{} {}: {} changes when migrated again",
            snapshot.repo,
            snapshot.commit,
            input.path.display()
        );
    }
}

/// The newest `gsrpc.gs` of gslang/gsrpc, migrated: what gschat's `com.gsrpc` maps to.
fn gsrpc_vendor(all: &[Snapshot]) -> Map {
    let newest = all
        .iter()
        .filter(|s| s.repo == "gslang/gsrpc")
        .max_by_key(|s| s.date.clone())
        .expect("gslang/gsrpc snapshots");
    let checked = run(newest, "/vendor", &[]);
    assert!(
        checked.outputs.iter().any(|(p, _)| p == "gsrpc.gs"),
        "gsrpc.gs migrates"
    );
    let mut files: Vec<(PathBuf, String)> = checked
        .outputs
        .into_iter()
        .map(|(p, t)| (Path::new("/vendor").join(p), t))
        .collect();
    files.push((
        Path::new("/vendor").join(COMPAT_FILE),
        COMPAT_SOURCE.to_owned(),
    ));
    (
        "com.gsrpc".to_owned(),
        PathBuf::from("/vendor/gsrpc.gs"),
        files,
    )
}

/// Snapshots whose schemas cannot be converted or do not check, because
/// they were broken in their own dialect too, with the migration code or
/// the semantic error that says so.
const EXPECTED: &[(&str, &str, &str)] = &[
    // `[AttrUsage(AttrUsage.Table)]` (an enum constant of a table), the
    // type `int`, and attributes `test`, `test1`, `test2` that no file declares.
    ("gsrpc/gslang", "e6ec82c7524d", "E0804"),
    // `[test()]` after the last declaration annotates the module, but
    // `test` may only annotate tables.
    ("gsrpc/gslang", "b87c0918924e", "E0511"),
    // `@Out` is declared nowhere.
    ("gsrpc/gslang", "d2cd15fd3d2a", "E0304"),
    ("gsrpc/gslang", "7c6223cbd13e", "E0304"),
    ("gsrpc/gslang", "f7670d64e9a8", "E0304"),
    // `enum CodeException {}`: an enum without values.
    ("gsrpc/gslang", "e7fd14155464", "E0804"),
    // `table Sync struct {`.
    ("gschat/gschat", "8b0a4153b108", "E0801"),
];

#[test]
fn every_schema_of_the_original_repositories() {
    let all = snapshots();
    assert!(all.len() >= 70, "only {} snapshots", all.len());
    let vendor = gsrpc_vendor(&all);
    let mut summary = String::new();
    let mut failures = Vec::new();
    for s in &all {
        let maps = if s.repo == "gschat/gschat" {
            vec![vendor.clone()]
        } else {
            Vec::new()
        };
        let checked = run(s, "/snap", &maps);
        let converted = checked.outputs.len();
        let mut codes = checked.codes.clone();
        codes.sort_unstable();
        codes.dedup();
        let _ = writeln!(
            summary,
            "{} {} {}: {converted}/{} converted; {}; check: {}",
            s.repo,
            s.commit,
            s.date,
            s.files.len(),
            if codes.is_empty() {
                "no diagnostics".to_owned()
            } else {
                codes.join(" ")
            },
            if checked.check_errors.is_empty() {
                "ok".to_owned()
            } else {
                format!("{} errors", checked.check_errors.len())
            }
        );
        let expected = EXPECTED
            .iter()
            .find(|(repo, commit, _)| *repo == s.repo && *commit == s.commit);
        if let Some((_, _, code)) = expected {
            let all = format!("{}{}", checked.report, checked.check_errors.join(""));
            assert!(
                all.contains(&format!("[{code}]")),
                "{} {}: expected {code}:\n{all}",
                s.repo,
                s.commit
            );
        }
        let expected = expected.is_some();
        let clean = converted == s.files.len() && checked.check_errors.is_empty();
        if clean == expected {
            failures.push(format!(
                "{} {} {}: {}\n{}{}",
                s.repo,
                s.commit,
                s.date,
                if expected {
                    "expected to fail, but is clean"
                } else {
                    "fails"
                },
                checked.report,
                checked.check_errors.join("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    insta::assert_snapshot!(summary);
}

/// The converted files of some snapshots, one of each kind: the 2014
/// dialect and its built-in module, the 2015 dialect's built-in modules, the
/// RPC protocol with a package split over files, and gschat with `--map`.
#[test]
fn representative_outputs() {
    let all = snapshots();
    let vendor = gsrpc_vendor(&all);
    for (repo, commit) in [
        ("gsrpc/gslang", "5838d2434b8f"),
        ("gsrpc/gslang", "025d76d83dcb"),
        ("gslang/gsrpc", "4b42dbb42e90"),
        ("gsrpc/jvmrpc", "2f75e1e1619e"),
        ("gschat/gschat", "cd9e2617ea1a"),
    ] {
        let s = all
            .iter()
            .find(|s| s.repo == repo && s.commit == commit)
            .expect("a snapshot of SNAPSHOTS");
        let maps = if repo == "gschat/gschat" {
            vec![vendor.clone()]
        } else {
            Vec::new()
        };
        let checked = run(s, "/snap", &maps);
        let mut out = String::new();
        for (path, text) in &checked.outputs {
            let fixture = &s.files.iter().find(|(p, _)| p == path).expect("listed").1;
            let _ = write!(out, "----- {path} (from {fixture})\n{text}");
        }
        let name = format!("{}-{commit}", repo.replace('/', "-"));
        insta::assert_snapshot!(name, out);
    }
}
