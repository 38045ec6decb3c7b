//! Snapshots of the formatted text of `tests/fmt/*.gs`, a corpus of tricky
//! inputs: comments everywhere, nested types, annotations with arguments,
//! long enums, imports with aliases, blank lines, block comments indented
//! with tabs, one-line bodies, broken parameter lists, documentation that
//! must stay attached. A file with syntax errors shows its errors instead.

use gslang_syntax::SourceMap;

fn formatted(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).expect("readable");
    let name = path
        .file_name()
        .expect("a file")
        .to_string_lossy()
        .into_owned();
    let mut sources = SourceMap::new();
    let id = sources.add(name, None, bytes).expect("small");
    match gslang_fmt::format_source(id, sources.file(id)) {
        Ok(out) => {
            let again = gslang_fmt::format_str(&out).expect("the output formats");
            assert_eq!(out, again, "not idempotent");
            out
        }
        Err(gslang_fmt::Error::Syntax(diags)) => {
            let mut out = String::from("----- NOT FORMATTED: SYNTAX ERRORS\n");
            for d in &diags {
                out.push_str(&gslang_syntax::diag::render(&sources, d));
            }
            out
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn corpus() {
    insta::glob!("../../tests/fmt", "*.gs", |path| {
        insta::assert_snapshot!(formatted(path));
    });
}
