//! What the tests of `gsc ir` and of plugins share: running the real `gsc`
//! binary, and a Python with the `jsonschema` package to validate JSON
//! against `docs/ir.schema.json`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace root")
}

/// `gsc`, run from the workspace root.
pub fn gsc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gsc"));
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("GSC_GEN_PY_EARLY")
        .env("COLUMNS", "100");
    cmd
}

/// Exit code, stdout and stderr of a finished command.
pub fn outcome(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `gsc ARGS` from the workspace root.
pub fn run(args: &[&str]) -> (i32, String, String) {
    outcome(gsc().args(args).output().expect("gsc runs"))
}

/// A fresh, empty directory under cargo's target directory.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn has_jsonschema(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A Python interpreter that has `jsonschema`: `python3` if it does, or
/// else a virtual environment under the target directory into which this
/// installs it (once; later runs reuse it).
pub fn python_with_jsonschema() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let system = PathBuf::from("python3");
        if has_jsonschema(&system) {
            return system;
        }
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("jsonschema-venv");
        let python = venv.join(if cfg!(windows) {
            "Scripts/python.exe"
        } else {
            "bin/python"
        });
        if !has_jsonschema(&python) {
            let status = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .expect("python3 runs");
            assert!(status.success(), "python3 -m venv failed");
            let status = Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "jsonschema"])
                .status()
                .expect("pip runs");
            assert!(status.success(), "pip install jsonschema failed");
        }
        python
    })
}

/// Validates every file of `files` against `$defs/DEFINITION` of the
/// committed schema; panics with the errors if one does not validate.
pub fn validate(definition: &str, files: &[PathBuf]) {
    let root = root();
    let out = Command::new(python_with_jsonschema())
        .arg(root.join("tests/plugin/validate.py"))
        .arg(root.join("docs/ir.schema.json"))
        .arg(definition)
        .args(files)
        .output()
        .expect("validate.py runs");
    let (code, stdout, stderr) = outcome(out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("validated {} files", files.len())),
        "{stdout}"
    );
}
