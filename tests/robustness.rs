//! Inputs that must give a clear result, never a panic, a hang or a stack
//! overflow. Each runs on a test thread (2 MiB of stack), which also checks
//! that no phase recurses in proportion to the input.

use std::fmt::Write as _;
use std::path::PathBuf;

use gslang_sema::{Analysis, MemoryLoader, Options, analyze};

fn check(files: &[(&str, &[u8])]) -> Analysis {
    let mut loader = MemoryLoader::new();
    for (name, text) in files {
        loader.add(name, text.to_vec());
    }
    analyze(
        &[PathBuf::from(files[0].0)],
        &Options::default(),
        &mut loader,
    )
}

fn user_records(analysis: &Analysis) -> usize {
    let model = analysis.model.as_ref().expect("model");
    model
        .records()
        .values()
        .filter(|r| r.module != model.builtins().module)
        .count()
}

fn codes(analysis: &Analysis) -> Vec<&'static str> {
    analysis.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn empty_file_is_a_valid_module() {
    let analysis = check(&[("empty.gs", b"")]);
    assert!(analysis.diagnostics.is_empty());
    let model = analysis.model.expect("model");
    assert_eq!(model.modules().len(), 2);
    let (_, module) = model.modules().iter().nth(1).expect("two modules");
    assert!(module.items.is_empty());
}

#[test]
fn ten_megabytes_on_one_line() {
    let mut src = String::with_capacity(10 << 20);
    let mut i = 0;
    while src.len() < 10 << 20 {
        let _ = write!(src, "struct S{i} {{ A int32; B []string; }} ");
        i += 1;
    }
    let analysis = check(&[("long.gs", src.as_bytes())]);
    assert!(analysis.diagnostics.is_empty());
    assert_eq!(user_records(&analysis), i);
}

#[test]
fn ten_megabytes_of_commented_declarations_on_one_line() {
    let mut src = String::with_capacity(10 << 20);
    let mut i = 0;
    while src.len() < 10 << 20 {
        let _ = write!(
            src,
            "/* S{i} */ struct S{i} {{ A int32; /* B */ B int32; }} "
        );
        i += 1;
    }
    let analysis = check(&[("comments.gs", src.as_bytes())]);
    assert!(analysis.diagnostics.is_empty());
    let model = analysis.model.expect("a valid schema has a model");
    let (_, module) = model.modules().iter().nth(1).expect("two modules");
    assert_eq!(module.items.len(), i);
    // The comments are attached, each to the item it precedes.
    let gslang_sema::ir::ItemId::Record(last) = module.items[i - 1] else {
        panic!("a record");
    };
    let last = model.record(last);
    assert_eq!(last.docs, [format!("S{}", i - 1)]);
    assert!(last.fields[0].docs.is_empty());
    assert_eq!(last.fields[1].docs, ["B"]);
}

#[test]
fn ten_megabytes_of_garbage_on_one_line() {
    let mut src = String::with_capacity(10 << 20);
    while src.len() < 10 << 20 {
        src.push_str("struct { $ ) 0x ] \"unterminated ; enum E( int64 @@ ");
    }
    let analysis = check(&[("garbage.gs", src.as_bytes())]);
    assert!(analysis.has_errors());
    assert!(analysis.model.is_none());
    // Syntax errors are capped per file; lexical ones are not, but each stays small.
    let syntax = codes(&analysis)
        .iter()
        .filter(|c| c.starts_with("E01"))
        .count();
    assert!(
        syntax <= gslang_syntax::parser::MAX_SYNTAX_ERRORS + 1,
        "{syntax} syntax errors"
    );
    // Rendering a diagnostic on a 10 MB line leaves the line out.
    let first = gslang_syntax::diag::render(&analysis.sources, &analysis.diagnostics[0]);
    assert!(first.len() < 1000, "rendered {} bytes", first.len());
}

#[test]
fn ten_thousand_nested_lists_in_a_type() {
    let src = format!("struct Deep {{ X {}byte; }}", "[]".repeat(10_000));
    let analysis = check(&[("deep.gs", src.as_bytes())]);
    assert_eq!(codes(&analysis), ["E0310"]);
}

#[test]
fn ten_thousand_nested_arrays_in_a_type() {
    let src = format!("struct Deep {{ X {}byte; }}", "[2]".repeat(10_000));
    let analysis = check(&[("deep.gs", src.as_bytes())]);
    assert_eq!(codes(&analysis), ["E0310"]);
}

#[test]
fn a_hundred_thousand_declarations() {
    let mut src = String::new();
    for i in 0..100_000 {
        let _ = writeln!(src, "struct S{i} {{ Next []S{}; }}", (i + 1) % 100_000);
    }
    let analysis = check(&[("many.gs", src.as_bytes())]);
    assert!(analysis.diagnostics.is_empty());
    assert_eq!(user_records(&analysis), 100_000);
}

#[test]
fn a_hundred_thousand_records_in_a_containment_chain() {
    let mut src = String::new();
    for i in 0..100_000 {
        let _ = writeln!(src, "struct S{i} {{ Next S{}; }}", i + 1);
    }
    src.push_str("struct S100000 { Last int32; }\n");
    let analysis = check(&[("chain.gs", src.as_bytes())]);
    assert!(analysis.diagnostics.is_empty());
    // The same chain closed into a cycle is one error that names it, elided.
    let closed = src.replace(
        "struct S100000 { Last int32; }",
        "struct S100000 { Back S0; }",
    );
    let analysis = check(&[("cycle.gs", closed.as_bytes())]);
    assert_eq!(codes(&analysis), ["E0341"]);
    let note = &analysis.diagnostics[0].notes[0];
    assert!(note.contains("more"), "{note}");
    assert!(note.len() < 400, "{note}");
}

fn contract_chain(n: usize, cycle: bool) -> String {
    let mut src = String::from("contract C0");
    if cycle {
        let _ = write!(src, "(C{})", n - 1);
    }
    src.push_str(" { M0(); }\n");
    for i in 1..n {
        let _ = writeln!(src, "contract C{i}(C{}) {{ M{i}(); }}", i - 1);
    }
    src
}

#[test]
fn ten_thousand_long_inheritance_chain() {
    let src = contract_chain(10_000, false);
    let analysis = check(&[("chain.gs", src.as_bytes())]);
    assert!(analysis.diagnostics.is_empty());
    let model = analysis.model.expect("model");
    let last = model.contracts().ids().last().expect("contracts");
    let methods = model.methods(last);
    assert_eq!(methods.len(), 10_000);
    assert_eq!(model.method(methods[0]).name, "M0");
    assert_eq!(model.method(methods[9_999]).name, "M9999");
}

#[test]
fn ten_thousand_long_inheritance_cycle() {
    let src = contract_chain(10_000, true);
    let analysis = check(&[("cycle.gs", src.as_bytes())]);
    assert_eq!(codes(&analysis), ["E0352"]);
    assert!(analysis.diagnostics[0].notes[0].contains("more"));
}

#[test]
fn too_many_methods() {
    let mut src = String::from("contract Big {\n");
    for i in 0..65_536 {
        let _ = writeln!(src, "M{i}();");
    }
    src.push_str("}\n");
    let analysis = check(&[("big.gs", src.as_bytes())]);
    assert_eq!(codes(&analysis), ["E0354"]);
}

#[test]
fn too_many_syntax_errors() {
    let src: String = (0..500).map(|i| format!("struct A{i} {{ X }}\n")).collect();
    let analysis = check(&[("errors.gs", src.as_bytes())]);
    let codes = codes(&analysis);
    assert_eq!(codes.len(), gslang_syntax::parser::MAX_SYNTAX_ERRORS + 1);
    assert_eq!(codes.last(), Some(&"E0102"));
    assert!(
        analysis
            .diagnostics
            .last()
            .expect("one")
            .message
            .starts_with("400 more")
    );
}

#[test]
fn self_import() {
    let analysis = check(&[("me.gs", b"import \"me.gs\"\nstruct A { X byte; }")]);
    assert_eq!(codes(&analysis), ["E0207"]);
}

#[test]
fn deeply_nested_annotation_values() {
    let depth = 100_000;
    let src = format!(
        "table T {{ N uint32; }}\n@T({}{})\nstruct S {{ X byte; }}",
        "T(".repeat(depth),
        ")".repeat(depth)
    );
    let analysis = check(&[("nested.gs", src.as_bytes())]);
    // The lexer stops at the nesting limit; what it read is still checked.
    assert_eq!(codes(&analysis)[0], "E0008");
    assert!(analysis.model.is_none());
}

#[test]
fn deeply_nested_braces() {
    let src = "{".repeat(1_000_000);
    let analysis = check(&[("braces.gs", src.as_bytes())]);
    assert!(analysis.has_errors());
}

#[test]
fn every_byte_value() {
    let src: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let analysis = check(&[("bytes.gs", &src)]);
    assert!(analysis.has_errors());
}

/// Mutations of the lexical and syntax UI tests, whose inputs are at the
/// edges the front end recovers from (echo suppression, misplaced imports,
/// nested comments, invisible characters), never panic either, and every
/// diagnostic has a span in its file and renders.
#[test]
fn mutations_of_the_syntax_ui_tests() {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: &[&[u8]] = &[
        b"{",
        b"}",
        b"(",
        b")",
        b";",
        b",",
        b"@",
        b"/*",
        b"*/",
        b"//",
        b"\"",
        b"\n",
        b"\r",
        b"import ",
        b"int32 ",
        b"0X",
        b"E",
        b"$",
        b"\xE2\x80\xAE",
        b"\xEF\xBB\xBF",
    ];
    for dir in ["ui/lex", "ui/parse"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("the UI corpus")
            .map(|e| e.expect("an entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let base = std::fs::read(&path).expect("a UI test");
            for _ in 0..20 {
                let mut src = base.clone();
                for _ in 0..(next() % 4 + 1) {
                    let at = (next() as usize) % (src.len() + 1);
                    if next() % 2 == 0 && at < src.len() {
                        src.remove(at);
                    } else {
                        let piece = alphabet[(next() as usize) % alphabet.len()];
                        src.splice(at..at, piece.iter().copied());
                    }
                }
                let analysis = check(&[("mutant.gs", &src)]);
                for d in &analysis.diagnostics {
                    let file = analysis.sources.file(d.primary.span.file);
                    assert!(d.primary.span.end as usize <= file.text.len(), "{d:?}");
                    let _ = gslang_syntax::diag::render(&analysis.sources, d);
                    let _ = gslang_syntax::diag::render_json(&analysis.sources, d);
                }
                assert_eq!(analysis.model.is_some(), !analysis.has_errors());
            }
        }
    }
}

/// A small deterministic fuzz: mutations of a valid schema never panic.
#[test]
fn mutations_of_a_valid_schema() {
    let base = std::fs::read("valid/annotations.gs").expect("the valid corpus");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"{}()[];,.@|:->\"'/*\\ \nabzAZ09_x";
    for _ in 0..300 {
        let mut src = base.clone();
        for _ in 0..(next() % 8 + 1) {
            let at = (next() as usize) % src.len();
            match next() % 3 {
                0 => {
                    src.remove(at);
                }
                1 => src.insert(at, alphabet[(next() as usize) % alphabet.len()]),
                _ => src[at] = (next() & 0xff) as u8,
            }
        }
        let analysis = check(&[("mutant.gs", &src)]);
        for d in &analysis.diagnostics {
            let _ = gslang_syntax::diag::render(&analysis.sources, d);
            let _ = gslang_syntax::diag::render_json(&analysis.sources, d);
        }
    }
}
