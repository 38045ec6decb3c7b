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
}
