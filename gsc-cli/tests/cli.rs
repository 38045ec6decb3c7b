//! End-to-end tests of the `gsc` binary.
//!
//! Every `tests/cli/*.gs` starts with `// RUN: gsc ARGS` where `%` stands for
//! the file; the exit code, stdout and stderr are snapshotted.

use std::path::Path;
use std::process::Command;

fn gsc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gsc"));
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = gsc()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("gsc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn transcript(args: &[&str], cwd: &Path) -> String {
    let (code, stdout, stderr) = run(args, cwd);
    format!(
        "$ gsc {}\nexit: {code}\n----- stdout\n{stdout}----- stderr\n{stderr}",
        args.join(" ")
    )
}

#[test]
fn cli_cases() {
    let cli_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cli");
    let cli_dir = cli_dir.canonicalize().expect("tests/cli exists");
    insta::glob!("../../tests/cli", "*.gs", |path| {
        if path.is_dir() {
            return;
        }
        let text = std::fs::read_to_string(path).expect("readable");
        let run_line = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// RUN: gsc "))
            .expect("first line is `// RUN: gsc ...`");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        let args: Vec<&str> = run_line
            .split_whitespace()
            .map(|a| if a == "%" { name } else { a })
            .collect();
        insta::assert_snapshot!(transcript(&args, &cli_dir));
    });
}

#[test]
fn missing_root_file_is_an_io_error() {
    let (code, stdout, stderr) = run(&["check", "no/such/file.gs"], Path::new("."));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("cannot read `no/such/file.gs`"), "{stderr}");
}

#[test]
fn no_arguments_is_a_usage_error() {
    let (code, _, stderr) = run(&["check"], Path::new("."));
    assert_eq!(code, 2);
    assert!(stderr.contains("Usage"), "{stderr}");
}

#[test]
fn json_lines_are_valid_json() {
    let cli_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cli");
    let (code, stdout, _) = run(
        &["check", "--message-format", "json", "errors.gs"],
        &cli_dir,
    );
    assert_eq!(code, 1);
    let mut count = 0;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(v["code"].as_str().is_some_and(|c| c.len() == 5));
        assert!(v["line"].as_u64().is_some_and(|l| l > 0));
        assert_eq!(v["file"], "errors.gs");
        assert!(
            v["rendered"]
                .as_str()
                .is_some_and(|r| r.contains("errors.gs"))
        );
        count += 1;
    }
    assert_eq!(count, 3);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let cli_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cli");
    let stderr = |color: &str| {
        let out = gsc()
            .args(["check", "--color", color, "errors.gs"])
            .current_dir(&cli_dir)
            .output()
            .expect("gsc runs");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(stderr("always").contains("\u{1b}["));
    assert!(!stderr("never").contains("\u{1b}["));
    // Tests run with stderr piped: `auto` means no colour.
    assert!(!stderr("auto").contains("\u{1b}["));
}

#[test]
fn help_texts() {
    insta::assert_snapshot!("help", transcript(&["--help"], Path::new(".")));
    insta::assert_snapshot!(
        "check_help",
        transcript(&["check", "--help"], Path::new("."))
    );
    insta::assert_snapshot!(
        "compile_help",
        transcript(&["compile", "--help"], Path::new("."))
    );
    insta::assert_snapshot!("fmt_help", transcript(&["fmt", "--help"], Path::new(".")));
    insta::assert_snapshot!(
        "compat_help",
        transcript(&["compat", "--help"], Path::new("."))
    );
}

fn fresh_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn compile_writes_modules_and_check_finds_stale_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = fresh_dir("compile_chat");
    let out_str = out.to_str().expect("utf-8 path");
    let (code, stdout, stderr) = run(&["compile", "samples/chat.gs", "-o", out_str], &root);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["chat.rs", "common.rs", "mod.rs"]);
    let chat = std::fs::read_to_string(out.join("chat.rs")).expect("chat.rs");
    assert!(chat.starts_with("// @generated by gsc "), "{}", &chat[..80]);
    assert!(chat.contains("from chat.gs. Do not edit."));

    // Up to date, however the schema's path is spelled and wherever gsc runs.
    let samples = root.join("samples");
    let absolute = samples.join("chat.gs");
    for (path, cwd) in [
        ("samples/chat.gs", root.as_path()),
        ("./samples/chat.gs", root.as_path()),
        ("chat.gs", samples.as_path()),
        (absolute.to_str().expect("utf-8 path"), Path::new("/")),
    ] {
        let (code, _, stderr) = run(&["compile", "--check", path, "-o", out_str], cwd);
        assert_eq!(code, 0, "{path} from {}: {stderr}", cwd.display());
    }

    // Edited and missing files are stale.
    std::fs::write(out.join("chat.rs"), "// edited\n").expect("writable");
    std::fs::remove_file(out.join("mod.rs")).expect("removable");
    let (code, _, stderr) = run(
        &["compile", "--check", "samples/chat.gs", "-o", out_str],
        &root,
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("stale"), "{stderr}");
    assert!(
        stderr.contains("chat.rs") && stderr.contains("mod.rs"),
        "{stderr}"
    );
    assert!(!stderr.contains("common.rs"), "{stderr}");
    // --check wrote nothing.
    assert_eq!(
        std::fs::read_to_string(out.join("chat.rs")).expect("chat.rs"),
        "// edited\n"
    );

    // Compiling again repairs it, and the output is deterministic.
    let (code, _, _) = run(&["compile", "samples/chat.gs", "-o", out_str], &root);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(out.join("chat.rs")).expect("chat.rs"),
        chat
    );
}

#[test]
fn compile_reports_names_that_clash_in_rust() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = fresh_dir("compile-clash");
    let (code, _, stderr) = run(
        &[
            "compile",
            "--color",
            "never",
            "tests/codegen/name-clash.gs",
            "-o",
            out.to_str().expect("utf-8 path"),
        ],
        &root,
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("error[E0600]"), "{stderr}");
    assert!(!out.exists(), "nothing is written when generation fails");
}

#[test]
fn compile_stops_at_schema_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = fresh_dir("compile-errors");
    let (code, _, stderr) = run(
        &[
            "compile",
            "tests/cli/errors.gs",
            "-o",
            out.to_str().expect("utf-8 path"),
        ],
        &root,
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("E0304"), "{stderr}");
    assert!(!out.exists());
}

/// Writes `files` (name, contents) into a fresh directory for schemas.
fn schemas(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = fresh_dir(name);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("writable");
    }
    dir
}

fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn files_of_modules_that_are_gone_are_stale_and_removed() {
    let src = schemas(
        "prune_src",
        &[
            ("a.gs", "import \"b.gs\"\nstruct A { X b.B; }\n"),
            ("b.gs", "struct B { Y int32; }\n"),
        ],
    );
    let out = fresh_dir("prune_out");
    let out_str = out.to_str().expect("utf-8 path");
    let compile = |check: bool| {
        let mut args = vec!["compile", "a.gs", "-o", out_str];
        if check {
            args.insert(1, "--check");
        }
        run(&args, &src)
    };
    assert_eq!(compile(false).0, 0);
    assert_eq!(sorted_names(&out), ["a.rs", "b.rs", "mod.rs"]);
    let mod_rs = std::fs::read_to_string(out.join("mod.rs")).expect("mod.rs");
    assert!(
        mod_rs
            .lines()
            .nth(1)
            .is_some_and(|l| l.ends_with(": a.rs b.rs")),
        "the manifest lists the module files:\n{mod_rs}"
    );
    // The user's own files in the directory.
    std::fs::write(out.join("notes.rs"), "// mine\n").expect("writable");
    std::fs::write(out.join("c.rs"), "// @generated by someone else\n").expect("writable");

    // `a.gs` no longer imports `b.gs`: `b.rs` is left over.
    std::fs::write(src.join("a.gs"), "struct A { X int32; }\n").expect("writable");
    let (code, _, stderr) = compile(true);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} (its module is gone: `gsc compile` removes it)",
            out.join("b.rs").display()
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("notes.rs") && !stderr.contains("c.rs"),
        "{stderr}"
    );
    assert!(out.join("b.rs").exists(), "--check removes nothing");

    let (code, _, stderr) = compile(false);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(sorted_names(&out), ["a.rs", "c.rs", "mod.rs", "notes.rs"]);
    assert_eq!(compile(true).0, 0, "up to date once the leftover is gone");

    // A file the user wrote over a generated one is theirs: never removed.
    std::fs::write(src.join("a.gs"), "import \"b.gs\"\nstruct A { X b.B; }\n").expect("writable");
    assert_eq!(compile(false).0, 0);
    std::fs::write(out.join("b.rs"), "// my own b\n").expect("writable");
    std::fs::write(src.join("a.gs"), "struct A { X int32; }\n").expect("writable");
    let (code, _, stderr) = compile(true);
    assert_eq!(code, 1, "mod.rs and a.rs are stale");
    assert!(!stderr.contains("b.rs"), "{stderr}");
    assert_eq!(compile(false).0, 0);
    assert_eq!(
        std::fs::read_to_string(out.join("b.rs")).expect("b.rs is kept"),
        "// my own b\n"
    );
    assert_eq!(compile(true).0, 0);
}

#[test]
fn output_dirs_named_like_keywords_get_a_note() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let parent = fresh_dir("keyword_dirs");
    let compile = |dir: &str, verbose: bool| {
        let out = parent.join(dir);
        let mut args = vec![
            "compile",
            "samples/common.gs",
            "-o",
            out.to_str().expect("utf-8"),
        ];
        if verbose {
            args.push("-v");
        }
        let (code, _, stderr) = run(&args, &root);
        assert_eq!(code, 0, "{stderr}");
        stderr
    };
    let raw = "note: `gen` is a Rust keyword: declare the directory's module as `mod r#gen;`\n";
    assert_eq!(compile("gen", false), raw);
    // Once the directory is set up, only `-v` repeats it.
    assert_eq!(compile("gen", false), "");
    assert!(compile("gen", true).starts_with(raw));
    assert!(compile("async", false).contains("`mod r#async;`"));
    assert_eq!(
        compile("self", false),
        "note: `self` is a Rust keyword that cannot name a module, even as a raw identifier: rename the directory\n"
    );
    assert!(
        compile("my-proto", false)
            .contains("rename the directory, or declare its module with `#[path = \"my-proto/mod.rs\"] mod my_proto;`")
    );
    assert_eq!(compile("proto", false), "");
}

/// `tests/checked-in` holds what `gsc compile` wrote into its `src/`: it must
/// be what gsc writes now.
#[test]
fn checked_in_generated_code_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (schema, dir) in [
        ("samples/game.gs", "tests/checked-in/src/gen"),
        ("samples/chat.gs", "tests/checked-in/src/chat"),
    ] {
        let (code, _, stderr) = run(&["compile", "--check", schema, "-o", dir], &root);
        assert_eq!(
            code, 0,
            "{dir} is stale: run `gsc compile {schema} -o {dir}` from the workspace root\n{stderr}"
        );
    }
}

/// Runs gsc with `input` on standard input.
fn run_with_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write as _;
    let mut child = gsc()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gsc runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writable");
    let out = child.wait_with_output().expect("gsc ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fmt_rewrites_files_in_place_and_check_lists_them() {
    let formatted = "struct A { X int32; }\n";
    let dir = schemas(
        "fmt_tree",
        &[
            ("clean.gs", formatted),
            ("messy.gs", "struct A{X int32;}"),
            ("broken.gs", "struct A { X int32 }\n"),
            ("notes.txt", "struct A{X int32;}"),
        ],
    );
    std::fs::create_dir_all(dir.join("sub/.hidden")).expect("dirs");
    std::fs::create_dir_all(dir.join("target")).expect("dirs");
    std::fs::write(dir.join("sub/deep.gs"), "enum E{A,B,}").expect("writable");
    std::fs::write(dir.join("sub/.hidden/skipped.gs"), "enum E{A}").expect("writable");
    std::fs::write(
        dir.join("target/CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55",
    )
    .expect("writable");
    std::fs::write(dir.join("target/skipped.gs"), "enum E{A}").expect("writable");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("readable");

    // --check writes nothing, lists the files that would change, and fails.
    let (code, stdout, stderr) = run(&["fmt", "--check", "--color", "never", "."], &dir);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("error[E0100]"), "{stderr}");
    assert!(
        stderr.contains("`./broken.gs` has syntax errors: it was left unchanged"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "2 files are not formatted; run `gsc fmt` on them:\n  ./messy.gs\n  ./sub/deep.gs\n"
        ),
        "{stderr}"
    );
    assert_eq!(read("messy.gs"), "struct A{X int32;}");

    // Formatting rewrites them; the file with syntax errors is left alone.
    let (code, _, stderr) = run(&["fmt", "-v", "."], &dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("formatted ./messy.gs\nformatted ./sub/deep.gs\n"),
        "{stderr}"
    );
    assert_eq!(read("messy.gs"), formatted);
    assert_eq!(read("sub/deep.gs"), "enum E { A, B }\n");
    assert_eq!(read("broken.gs"), "struct A { X int32 }\n");
    assert_eq!(
        read("notes.txt"),
        "struct A{X int32;}",
        "only .gs files in directories"
    );
    assert_eq!(read("sub/.hidden/skipped.gs"), "enum E{A}");
    assert_eq!(read("target/skipped.gs"), "enum E{A}");

    // Named files are formatted whatever their extension.
    let (code, _, stderr) = run(&["fmt", "notes.txt", "clean.gs"], &dir);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(read("notes.txt"), formatted);

    // Once the broken file is fixed, everything is formatted.
    std::fs::write(dir.join("broken.gs"), formatted).expect("writable");
    let (code, stdout, stderr) = run(&["fmt", "--check", "."], &dir);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));

    // A file that cannot be read is an I/O error (exit 2); the others are still formatted.
    std::fs::write(dir.join("messy.gs"), "struct A{X int32;}").expect("writable");
    let (code, _, stderr) = run(&["fmt", "missing.gs", "messy.gs"], &dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read `missing.gs`"), "{stderr}");
    assert_eq!(read("messy.gs"), formatted);
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let (code, stdout, stderr) = run_with_stdin(&["fmt", "-"], "enum Color{Red,Green}\n// end");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, "enum Color { Red, Green }\n// end\n");

    let (code, stdout, stderr) = run_with_stdin(
        &["fmt", "--message-format", "short", "-"],
        "struct A { X int32 }",
    );
    assert_eq!(code, 1);
    assert_eq!(
        stdout, "",
        "nothing is written for a file with syntax errors"
    );
    assert!(stderr.starts_with("<stdin>:1:20: error[E0100]"), "{stderr}");

    let (code, stdout, _) = run_with_stdin(&["fmt", "--message-format", "json", "-"], "struct {");
    assert_eq!(code, 1);
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
        assert_eq!(v["file"], "<stdin>");
    }

    let (code, _, stderr) = run_with_stdin(&["fmt", "--check", "-"], "struct A{}");
    assert_eq!(code, 1);
    assert!(stderr.contains("<stdin> is not formatted"), "{stderr}");
    let (code, _, _) = run_with_stdin(&["fmt", "--check", "-"], "struct A {}\n");
    assert_eq!(code, 0);

    let (code, _, stderr) = run(&["fmt", "-", "a.gs"], Path::new("."));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot be formatted together with files"),
        "{stderr}"
    );
}

/// `tests/compat`, where every case has an `old/` and a `new/` directory.
fn compat_cases() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/compat")
}

#[test]
fn compat_exit_codes() {
    let cases = compat_cases();
    let compat = |case: &str, extra: &[&str]| {
        let mut args = vec!["compat", "--color", "never"];
        args.extend_from_slice(extra);
        let (old, new) = (format!("{case}/old"), format!("{case}/new"));
        args.push(&old);
        args.push(&new);
        run(&args, &cases)
    };
    // Breaking: 1, with the report and a summary.
    let (code, stdout, stderr) = compat("field-added", &[]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.contains("error[E0700]: field `SentAt` was added to `chat.Message`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: `field-added/new` breaks wire compatibility with `field-added/old`: 1 breaking change\n"),
        "{stderr}"
    );
    // Compatible: 0, silent.
    assert_eq!(compat("compatible", &[]), (0, String::new(), String::new()));
    // Warnings: 0, or 1 with --deny-warnings.
    let (code, _, stderr) = compat("value-added", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[W0730]"), "{stderr}");
    assert!(
        stderr.ends_with("is compatible with `value-added/old` on the wire (1 warning)\n"),
        "{stderr}"
    );
    let (code, _, stderr) = compat("value-added", &["--deny-warnings"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("1 warning denied by --deny-warnings"),
        "{stderr}"
    );
    // Notes never fail.
    let (code, _, stderr) = compat("method-renamed", &["--deny-warnings"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("note[N0742]"), "{stderr}");
    // JSON lines on stdout, one per diagnostic, and the same exit code.
    let (code, stdout, stderr) = compat("method-inserted", &["--message-format", "json"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["code"], "E0711");
    assert_eq!(lines[0]["file"], "method-inserted/new/chat.gs");
    assert_eq!(lines[0]["labels"][1]["file"], "method-inserted/old/chat.gs");
    // Short: one line each.
    let (code, _, stderr) = compat("methods-reordered", &["--message-format", "short"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "methods-reordered/new/chat.gs:1:10: error[E0712]: the method ids of `chat.Chat` changed\n"
    );
}

#[test]
fn compat_compares_two_files_as_one_module() {
    let cases = compat_cases();
    let (code, _, stderr) = run(
        &[
            "compat",
            "--color",
            "never",
            "param-count/old/chat.gs",
            "param-count/new/chat.gs",
        ],
        &cases,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0713]"), "{stderr}");
    // Two files of other names are the same module renamed: every contract's CER type changes.
    let dir = schemas(
        "compat_files",
        &[
            ("chat.gs", "contract Chat { Post(text string); }\n"),
            ("talk.gs", "contract Chat { Post(text string); }\n"),
        ],
    );
    let (code, _, stderr) = run(&["compat", "--color", "never", "chat.gs", "talk.gs"], &dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error[E0719]: contract `chat.Chat` was moved to `talk.Chat`"),
        "{stderr}"
    );
}

#[test]
fn compat_usage_and_schema_errors() {
    let cases = compat_cases();
    // A file and a directory, a missing path, missing arguments: 2.
    let (code, _, stderr) = run(
        &["compat", "field-added/old/chat.gs", "field-added/new"],
        &cases,
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("must both be files or both be directories"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["compat", "nope/old", "field-added/new"], &cases);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read `nope/old`"), "{stderr}");
    assert_eq!(run(&["compat", "field-added/old"], &cases).0, 2);
    let empty = fresh_dir("compat_empty");
    std::fs::create_dir_all(&empty).expect("dir");
    let (code, _, stderr) = run(
        &["compat", empty.to_str().expect("utf-8"), "field-added/new"],
        &cases,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("no `*.gs` file in"), "{stderr}");

    // A version with errors cannot be compared: its errors, and 1.
    let dir = schemas(
        "compat_broken",
        &[
            ("old.gs", "struct A { X int32; }\n"),
            ("new.gs", "struct A { X Missing; }\n"),
        ],
    );
    let (code, _, stderr) = run(&["compat", "--color", "never", "old.gs", "new.gs"], &dir);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[E0304]: cannot find type `Missing`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: the new version (`new.gs`) has errors: fix them, then compare"),
        "{stderr}"
    );
}

#[test]
fn compat_include_dirs_for_each_version() {
    // The usual layout of a release check: the schemas of the previous
    // release in one tree, the current ones in another, each with the
    // directory its imports come from.
    let root = fresh_dir("compat_includes");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("writable");
    };
    let chat = "import \"common.gs\"\nimport \"shared.gs\"\ncontract Chat { Join(m common.Member, s shared.Tag); }\n";
    write("old/proto/chat.gs", chat);
    write("new/proto/chat.gs", chat);
    write("old/vendor/common.gs", "struct Member { Name string; }\n");
    write(
        "new/vendor/common.gs",
        "struct Member { Name string; Level int32; }\n",
    );
    write("shared/shared.gs", "struct Tag { Value string; }\n");
    let (code, _, stderr) = run(
        &[
            "compat",
            "--color",
            "never",
            "--old-include",
            "old/vendor",
            "--new-include",
            "new/vendor",
            "-I",
            "shared",
            "old/proto",
            "new/proto",
        ],
        &root,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error[E0700]: field `Level` was added to `common.Member`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("breaks calls to `chat.Chat` (`Join`)"),
        "{stderr}"
    );
    assert!(stderr.contains("new/vendor/common.gs"), "{stderr}");
    // Without the per-version directories the imports are not found.
    let (code, _, stderr) = run(&["compat", "-I", "shared", "old/proto", "new/proto"], &root);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cannot find module `common.gs`"),
        "{stderr}"
    );
}

#[test]
fn compat_transcript() {
    insta::assert_snapshot!(transcript(
        &[
            "compat",
            "--color",
            "never",
            "nested-record-change/old",
            "nested-record-change/new"
        ],
        &compat_cases()
    ));
}
