//! End-to-end tests of `gsc migrate`: where it writes, `--map`, exit codes,
//! and what `gsc check` says of its output and of the old files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gsc"))
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
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

fn schemas(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a dir")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

const SHARED: &str =
    "package com.example;\n\n// A message.\ntable Mail {\n    string Text;\n    byte[] Body;\n}\n";
const SERVICE: &str = "package com.example.hub;\n\nusing gslang.Exception;\nusing com.example.Mail;\nusing com.gsrpc.Device;\n\n@Exception\ntable Full {}\n\ncontract Hub {\n    void Put(Mail mail, Device from) throws (Full);\n}\n";
const DEVICE: &str = "table Device {\n    ID string;\n}\n";

#[test]
fn migrates_under_an_output_dir_and_the_output_checks() {
    let dir = schemas(
        "migrate-out",
        &[
            ("old/shared.gs", SHARED),
            ("old/hub/service.gs", SERVICE),
            ("vendor/gsrpc.gs", DEVICE),
        ],
    );
    let (code, stdout, stderr) = run(
        &[
            "migrate",
            "--color",
            "never",
            "-o",
            "new",
            "--map",
            "com.gsrpc=vendor/gsrpc.gs",
            "old",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("note[N0809]"), "{stderr}");
    assert!(stderr.contains("note[N0808]"), "{stderr}");
    // The inputs are left alone; the outputs keep their paths below `new/`.
    assert_eq!(
        std::fs::read_to_string(dir.join("old/shared.gs")).expect("kept"),
        SHARED
    );
    let service = std::fs::read_to_string(dir.join("new/hub/service.gs")).expect("written");
    insta::assert_snapshot!("migrated_service", service);
    assert!(dir.join("new/shared.gs").is_file());
    assert!(dir.join("new/gslang2015.gs").is_file());
    let (code, _, stderr) = run(
        &[
            "check",
            "--color",
            "never",
            "new/shared.gs",
            "new/hub/service.gs",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn migrates_in_place_without_an_output_dir() {
    let dir = schemas("migrate-in-place", &[("a.gs", SHARED)]);
    let (code, _, stderr) = run(&["migrate", "--color", "never", "a.gs"], &dir);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(dir.join("a.gs")).expect("rewritten");
    assert!(
        text.contains("    Text string;\n    Body []byte;\n"),
        "{text}"
    );
    assert!(
        !dir.join("gslang2015.gs").exists(),
        "not needed, not written"
    );
    // Migrating the output again changes nothing.
    let (code, _, stderr) = run(&["migrate", "--color", "never", "a.gs"], &dir);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("a.gs")).expect("kept"),
        text
    );
}

#[test]
fn a_file_that_cannot_be_converted_is_not_written() {
    let dir = schemas(
        "migrate-errors",
        &[("hub.gs", SERVICE), ("shared.gs", SHARED)],
    );
    let (code, _, stderr) = run(
        &[
            "migrate",
            "--color",
            "never",
            "-o",
            "out",
            "hub.gs",
            "shared.gs",
        ],
        &dir,
    );
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("unknown_package", stderr);
    assert!(!dir.join("out/hub.gs").exists());
    assert!(
        dir.join("out/shared.gs").is_file(),
        "the other file is converted"
    );
}

#[test]
fn usage_errors() {
    let dir = schemas("migrate-usage", &[("a.gs", SHARED)]);
    let (code, _, stderr) = run(&["migrate", "--map", "nothing", "a.gs"], &dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("expected PACKAGE=FILE"), "{stderr}");
    let (code, _, stderr) = run(&["migrate", "missing.gs"], &dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot read `missing.gs`"), "{stderr}");
}

#[test]
fn check_names_the_old_dialect() {
    let dir = schemas("migrate-check-note", &[("hub.gs", SERVICE)]);
    let (code, _, stderr) = run(
        &[
            "check",
            "--color",
            "never",
            "--message-format",
            "short",
            "hub.gs",
        ],
        &dir,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .contains("hub.gs:1:1: note[N0107]: this file seems to be written in the 2015 dialect"),
        "{stderr}"
    );
}

#[test]
fn help_text() {
    let (code, stdout, _) = run(&["migrate", "--help"], Path::new("."));
    assert_eq!(code, 0);
    insta::assert_snapshot!("migrate_help", stdout);
}
