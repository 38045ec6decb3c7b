//! The formatter's properties, over every schema of the repository (the
//! valid schemas, the code generation and CLI corpora, the UI tests, the
//! samples, the runtime's protocol, the fuzz seeds and corpus if present):
//! - a file with syntax errors is refused, any other is formatted;
//! - formatting is idempotent: `format(format(x)) == format(x)`;
//! - it never changes the checked model: a schema checked with every file it
//!   loads formatted has the model of the original (spans aside: the same
//!   declarations, fields, types, numbers, annotation values and
//!   documentation), or, if it has errors, the same diagnostics.

use std::io;
use std::path::{Path, PathBuf};

use gslang_sema::{Analysis, FsLoader, Loader, Options};
use gslang_syntax::SourceMap;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace")
}

/// Every `*.gs` under `dir`, skipping build output and hidden directories.
fn schemas(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                schemas(&path, out);
            }
        } else if name.ends_with(".gs") {
            out.push(path);
        }
    }
}

/// Formats a file's bytes; `None` if it has syntax errors.
fn format(bytes: &[u8]) -> Option<String> {
    let mut sources = SourceMap::new();
    let id = sources.add("x.gs", None, bytes.to_vec()).ok()?;
    match gslang_fmt::format_source(id, sources.file(id)) {
        Ok(out) => Some(out),
        Err(gslang_fmt::Error::Syntax(_)) => None,
        Err(e @ gslang_fmt::Error::Internal(_)) => panic!("{e}"),
    }
}

/// Reads files from disk, formatted (those with syntax errors as they are).
struct Formatting;

impl Loader for Formatting {
    fn canonicalize(&mut self, path: &Path) -> io::Result<PathBuf> {
        FsLoader.canonicalize(path)
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        let bytes = FsLoader.read(path)?;
        Ok(format(&bytes).map_or(bytes, String::into_bytes))
    }
}

/// The model as JSON, without spans (which formatting moves).
fn model_json(analysis: &Analysis) -> Option<serde_json::Value> {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("span");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(analysis.model.as_ref()?).expect("serializable");
    strip(&mut v);
    Some(v)
}

/// What the diagnostics say, without where.
fn diagnostics(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{:?} {} {} {:?} {:?}",
                d.severity, d.code, d.message, d.notes, d.help
            )
        })
        .collect()
}

#[test]
fn every_schema_of_the_repository() {
    let root = workspace();
    let mut files = Vec::new();
    schemas(&root, &mut files);
    // The fuzz corpus, if there is one: its inputs have no extension.
    if let Ok(entries) = std::fs::read_dir(root.join("fuzz/corpus/check")) {
        let mut corpus: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        corpus.sort();
        files.extend(corpus.into_iter().filter(|p| p.is_file()));
    }
    assert!(files.len() > 100, "found only {} schemas", files.len());
    let options = Options {
        include_dirs: vec![root.join("tests/ui/include")],
    };
    let (mut formatted, mut refused, mut models) = (0, 0, 0);
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let bytes = std::fs::read(path).expect("readable");
        let Some(once) = format(&bytes) else {
            refused += 1;
            continue;
        };
        formatted += 1;
        let twice =
            format(once.as_bytes()).unwrap_or_else(|| panic!("{rel}: output does not parse"));
        assert!(
            once == twice,
            "{rel}: not idempotent:\n{once}\n-----\n{twice}"
        );

        let before = gslang_sema::analyze(std::slice::from_ref(path), &options, &mut FsLoader);
        let after = gslang_sema::analyze(std::slice::from_ref(path), &options, &mut Formatting);
        match (model_json(&before), model_json(&after)) {
            (Some(a), Some(b)) => {
                models += 1;
                assert!(a == b, "{rel}: the model changed\n{once}");
            }
            (None, None) => assert_eq!(
                diagnostics(&before),
                diagnostics(&after),
                "{rel}: the diagnostics changed\n{once}"
            ),
            _ => panic!("{rel}: formatting changed whether it checks\n{once}"),
        }
    }
    assert!(
        formatted > 80 && refused > 10 && models > 40,
        "{formatted} formatted, {refused} refused, {models} models"
    );
}

/// Reads files from disk through `transform`, then formatted if `formatted`.
struct Transformed {
    transform: fn(&str) -> String,
    formatted: bool,
}

impl Loader for Transformed {
    fn canonicalize(&mut self, path: &Path) -> io::Result<PathBuf> {
        FsLoader.canonicalize(path)
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        let bytes = FsLoader.read(path)?;
        let text = (self.transform)(&String::from_utf8_lossy(&bytes));
        if !self.formatted {
            return Ok(text.into_bytes());
        }
        Ok(format(text.as_bytes())
            .unwrap_or_else(|| panic!("{}: the transformed text does not parse", path.display()))
            .into_bytes())
    }
}

/// `text` with `insert(k)` after its `k`th token.
fn after_every_token(text: &str, insert: impl Fn(usize) -> String) -> String {
    let lexer = gslang_syntax::lexer::Lexer::new(gslang_syntax::FileId(0), text);
    let mut out = String::with_capacity(text.len() * 3);
    let mut at = 0;
    for (k, (_, _, end)) in lexer.filter_map(Result::ok).enumerate() {
        out.push_str(&text[at..end]);
        out.push_str(&insert(k));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn block_comments(text: &str) -> String {
    after_every_token(text, |k| format!(" /*{k}*/ "))
}

fn line_comments(text: &str) -> String {
    after_every_token(text, |k| format!(" //{k}\n"))
}

fn line_breaks(text: &str) -> String {
    after_every_token(text, |k| {
        if k % 3 == 0 {
            "\n\n".into()
        } else {
            "\n".into()
        }
    })
}

fn glued(text: &str) -> String {
    // One space between tokens, no line breaks (comments removed, since a
    // line comment would swallow the rest of its line).
    let lexer = gslang_syntax::lexer::Lexer::new(gslang_syntax::FileId(0), text);
    let tokens: Vec<&str> = lexer
        .filter_map(Result::ok)
        .map(|(s, _, e)| &text[s..e])
        .collect();
    tokens.join(" ")
}

/// Comments after every token, line breaks after every token, everything on
/// one line: the model of each variant survives formatting it.
#[test]
fn comments_and_breaks_between_every_two_tokens() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ["tests/valid", "tests/codegen", "samples", "tests/fmt"] {
        schemas(&root.join(dir), &mut files);
    }
    let options = Options::default();
    let mut checked = 0;
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        for (name, transform) in [
            ("block comments", block_comments as fn(&str) -> String),
            ("line comments", line_comments),
            ("line breaks", line_breaks),
            ("one line", glued),
        ] {
            let mut plain = Transformed {
                transform,
                formatted: false,
            };
            let mut fmt = Transformed {
                transform,
                formatted: true,
            };
            let before = gslang_sema::analyze(std::slice::from_ref(path), &options, &mut plain);
            if before
                .diagnostics
                .iter()
                .any(|d| d.code == "E0100" || d.code == "E0101")
            {
                // The file has syntax errors of its own.
                continue;
            }
            let after = gslang_sema::analyze(std::slice::from_ref(path), &options, &mut fmt);
            let text = transform(&std::fs::read_to_string(path).expect("readable"));
            let once =
                format(text.as_bytes()).unwrap_or_else(|| panic!("{rel} ({name}) does not parse"));
            assert_eq!(
                format(once.as_bytes()).as_deref(),
                Some(once.as_str()),
                "{rel} ({name}): not idempotent"
            );
            match (model_json(&before), model_json(&after)) {
                (Some(a), Some(b)) => assert!(a == b, "{rel} ({name}): the model changed\n{once}"),
                (None, None) => {
                    assert_eq!(diagnostics(&before), diagnostics(&after), "{rel} ({name})")
                }
                _ => panic!("{rel} ({name}): formatting changed whether it checks\n{once}"),
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} variants checked");
}
