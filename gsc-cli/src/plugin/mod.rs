//! External back ends: `gsc compile --plugin CMD[:PARAM]`, protoc-style.
//!
//! gsc runs each plugin as a child process, writes one JSON request (the
//! model of [`crate::ir`] and the parameter) to its stdin and reads one JSON
//! response (files and diagnostics) from its stdout; its stderr is the
//! user's terminal. The request is written from a thread of its own while
//! the main thread reads stdout, so a plugin that answers before it has read
//! all of its input cannot deadlock with gsc.
//!
//! Every plugin runs, and every failure is reported, before anything is
//! written: a plugin that exits non-zero, prints no or invalid JSON, names a
//! file outside the output directory, names a file another plugin (or the
//! Rust back end, with `--rust`) also writes, or reports an error, makes the
//! whole compilation write nothing and exit with 1.

pub mod output;
pub mod protocol;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};

use gslang_sema::{Analysis, Model};

use crate::Fatal;
use crate::cmd::compile::Opts;
use crate::report::Report;
use output::OutFile;
use protocol::{Request, Response, Severity};

/// `--plugin CMD[:PARAM]`.
///
/// The text is split at its first `:`: what follows, colons included, is the
/// parameter. CMD is one program, never split into words; a CMD without a
/// path separator is a NAME, looked up on `PATH` as `gsc-gen-NAME` and then
/// as `NAME`; anything else is a path (`./gen.py`). On Windows, a drive
/// letter's colon (`C:\gen.exe`) does not split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// The program, as given.
    pub cmd: String,
    /// The parameter, `""` when there is none.
    pub param: String,
}

impl Spec {
    /// Parses a `--plugin` value (clap's value parser).
    pub fn parse(text: &str) -> Result<Spec, String> {
        let skip = if cfg!(windows) && has_drive_prefix(text) {
            2
        } else {
            0
        };
        let (cmd, param) = match text[skip..].find(':') {
            Some(at) => (&text[..skip + at], &text[skip + at + 1..]),
            None => (text, ""),
        };
        if cmd.is_empty() {
            return Err("expected CMD or CMD:PARAM, with a program before any `:`".into());
        }
        Ok(Spec {
            cmd: cmd.into(),
            param: param.into(),
        })
    }

    fn is_name(&self) -> bool {
        let separator = |c: char| c == '/' || (cfg!(windows) && c == '\\');
        !self.cmd.contains(separator)
    }

    /// The program to run.
    fn resolve(&self) -> Result<PathBuf, Fatal> {
        if !self.is_name() {
            return Ok(PathBuf::from(&self.cmd));
        }
        let path = std::env::var_os("PATH").unwrap_or_default();
        for name in [format!("gsc-gen-{}", self.cmd), self.cmd.clone()] {
            if let Some(found) = find_on_path(&path, &name) {
                return Ok(found);
            }
        }
        Err(Fatal(format!(
            "cannot find plugin `{0}`: neither `gsc-gen-{0}` nor `{0}` is an executable on PATH (to run a file in the current directory, write `./{0}`)",
            self.cmd
        )))
    }
}

fn has_drive_prefix(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

fn find_on_path(path: &OsString, name: &str) -> Option<PathBuf> {
    let extensions: &[&str] = if cfg!(windows) {
        &["", ".exe", ".cmd", ".bat", ".com"]
    } else {
        &[""]
    };
    for dir in std::env::split_paths(path) {
        for ext in extensions {
            let candidate = dir.join(format!("{name}{ext}"));
            if is_executable(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// How one plugin failed; each is reported as `error: plugin `CMD` …`.
#[derive(Debug)]
enum Failure {
    Exit(ExitStatus),
    NoResponse,
    InvalidJson(serde_json::Error),
    BadName(String, output::BadName),
    Duplicate(String),
    Clash(String, String),
    FileIsDir(String, String),
    DirIsFile(String, String, String),
    Reported(usize),
    Stdin(std::io::Error),
}

impl Failure {
    fn message(&self, cmd: &str) -> String {
        match self {
            Failure::Exit(status) => format!("plugin `{cmd}` failed: {status}"),
            Failure::NoResponse => {
                format!("plugin `{cmd}` printed no response on stdout (expected one JSON object)")
            }
            Failure::InvalidJson(e) => {
                format!("plugin `{cmd}` printed an invalid response on stdout: {e}")
            }
            Failure::BadName(name, why) => {
                format!(
                    "plugin `{cmd}` names the file `{name}`, which {}",
                    why.describe()
                )
            }
            Failure::Duplicate(name) => format!("plugin `{cmd}` writes `{name}` twice"),
            Failure::Clash(name, other) => {
                format!("plugin `{cmd}` writes `{name}`, which {other} also writes")
            }
            Failure::FileIsDir(name, other) => format!(
                "plugin `{cmd}` writes the file `{name}`, which {other} needs as a directory"
            ),
            Failure::DirIsFile(name, dir, other) => {
                format!("plugin `{cmd}` writes `{name}`, but `{dir}` is a file {other} writes")
            }
            Failure::Reported(n) => format!(
                "plugin `{cmd}` reported {n} error{}",
                if *n == 1 { "" } else { "s" }
            ),
            Failure::Stdin(e) => format!("cannot write the request to plugin `{cmd}`: {e}"),
        }
    }
}

/// Runs `program` with `request` on its stdin; returns its stdout.
fn run(program: &Path, cmd: &str, request: &[u8]) -> Result<Result<Vec<u8>, Failure>, Fatal> {
    let mut child = Command::new(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Fatal(format!("cannot run plugin `{cmd}`: {e}")))?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    let (written, read) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let result = match stdin.as_mut() {
                Some(pipe) => pipe.write_all(request).and_then(|()| pipe.flush()),
                None => Ok(()),
            };
            // Closing stdin tells the plugin the request is complete.
            drop(stdin);
            result
        });
        let mut out = Vec::new();
        let read = match stdout.as_mut() {
            Some(pipe) => pipe.read_to_end(&mut out).map(|_| out),
            None => Ok(out),
        };
        let written = writer.join().unwrap_or(Ok(()));
        (written, read)
    });
    drop(stdout);
    let status = child
        .wait()
        .map_err(|e| Fatal(format!("cannot wait for plugin `{cmd}`: {e}")))?;
    if !status.success() {
        return Ok(Err(Failure::Exit(status)));
    }
    let out =
        read.map_err(|e| Fatal(format!("cannot read the response of plugin `{cmd}`: {e}")))?;
    match written {
        // A plugin may answer without reading all of its input.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Ok(Err(Failure::Stdin(e))),
        _ => Ok(Ok(out)),
    }
}

/// The directories above a normalized file name, innermost first
/// (`a/b/c` → `a/b`, `a`).
fn ancestors(name: &str) -> impl Iterator<Item = &str> {
    let mut rest = name;
    std::iter::from_fn(move || {
        let at = rest.rfind('/')?;
        rest = &rest[..at];
        Some(rest)
    })
}

fn add_dirs(dirs: &mut std::collections::HashMap<String, String>, name: &str, writer: &str) {
    for dir in ancestors(name) {
        dirs.entry(dir.to_string())
            .or_insert_with(|| writer.to_string());
    }
}

/// What one plugin produced, checked.
#[derive(Debug, Default)]
struct Outcome {
    files: Vec<OutFile>,
    failures: Vec<Failure>,
}

/// Checks a plugin's stdout: JSON, file names, diagnostics (printed here).
fn check_response(stdout: &[u8], cmd: &str, report: &mut Report, out: &mut Outcome) -> usize {
    if stdout.iter().all(u8::is_ascii_whitespace) {
        out.failures.push(Failure::NoResponse);
        return 0;
    }
    let response: Response = match serde_json::from_slice(stdout) {
        Ok(r) => r,
        Err(e) => {
            out.failures.push(Failure::InvalidJson(e));
            return 0;
        }
    };
    let mut errors = 0;
    let mut warnings = 0;
    for d in &response.diagnostics {
        let at = d
            .span
            .as_ref()
            .map(|s| format!("{}:{}:{}: ", s.file, s.line, s.column))
            .unwrap_or_default();
        let message = format!("plugin `{cmd}`: {at}{}", d.message);
        match d.severity {
            Severity::Error => {
                errors += 1;
                report.error(&message);
            }
            Severity::Warning => {
                warnings += 1;
                report.warning(&message);
            }
        }
    }
    if errors > 0 {
        out.failures.push(Failure::Reported(errors));
    }
    let mut seen = std::collections::HashSet::new();
    for file in response.files {
        match output::normalize(&file.name) {
            Ok(name) if !seen.insert(name.clone()) => out.failures.push(Failure::Duplicate(name)),
            Ok(name) => out.files.push(OutFile {
                name,
                content: file.content,
            }),
            Err(why) => out.failures.push(Failure::BadName(file.name, why)),
        }
    }
    warnings
}

/// `gsc compile` with `--plugin`: runs every plugin over `model` (and the
/// Rust back end with `--rust`), then writes all their files, or nothing.
pub fn compile(
    opts: &Opts,
    mut report: Report,
    analysis: &Analysis,
    model: &Model,
) -> Result<ExitCode, Fatal> {
    let ir = match crate::ir::build(model, &analysis.sources) {
        Ok(ir) => ir,
        Err(e) => {
            report.error(&crate::cmd::ir::too_large(&e));
            return Ok(ExitCode::from(1));
        }
    };
    let rust = if opts.rust {
        match gs2rust::generate(model, &gs2rust::GenOptions::default()) {
            Ok(files) => files,
            Err(diags) => {
                report.diagnostics(&analysis.sources, &diags)?;
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        Vec::new()
    };
    let roots: Vec<String> = opts
        .files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();

    // Who writes each file: the Rust back end, or the first plugin that does.
    let mut owners: std::collections::HashMap<String, String> = rust
        .iter()
        .map(|f| (f.name.clone(), "the Rust back end".to_string()))
        .collect();
    // Directories the files written so far are in, with a writer of each.
    let mut dirs: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for f in &rust {
        add_dirs(&mut dirs, &f.name, "the Rust back end");
    }
    // A plugin that cannot be found is a usage error, before any plugin runs.
    let programs = opts
        .plugins
        .iter()
        .map(Spec::resolve)
        .collect::<Result<Vec<_>, _>>()?;
    let mut files = Vec::new();
    let mut failed = 0;
    let mut warnings = 0;
    for (spec, program) in opts.plugins.iter().zip(programs) {
        let writer = format!("plugin `{}`", spec.cmd);
        let request = Request {
            version: crate::ir::VERSION,
            gsc_version: env!("CARGO_PKG_VERSION"),
            parameter: &spec.param,
            roots: roots.clone(),
            model: &ir,
        };
        let request = serde_json::to_vec(&request)
            .map_err(|e| Fatal(format!("cannot write the request as JSON: {e}")))?;
        let mut outcome = Outcome::default();
        match run(&program, &spec.cmd, &request)? {
            Ok(stdout) => warnings += check_response(&stdout, &spec.cmd, &mut report, &mut outcome),
            Err(failure) => outcome.failures.push(failure),
        }
        for file in outcome.files {
            if let Some(owner) = owners.get(&file.name) {
                outcome
                    .failures
                    .push(Failure::Clash(file.name.clone(), owner.clone()));
            } else if let Some(owner) = dirs.get(&file.name) {
                outcome
                    .failures
                    .push(Failure::FileIsDir(file.name.clone(), owner.clone()));
            } else if let Some((dir, owner)) = ancestors(&file.name).find_map(|dir| {
                owners
                    .get(dir)
                    .map(|owner| (dir.to_string(), owner.clone()))
            }) {
                outcome
                    .failures
                    .push(Failure::DirIsFile(file.name.clone(), dir, owner));
            } else {
                owners.insert(file.name.clone(), writer.clone());
                add_dirs(&mut dirs, &file.name, &writer);
                files.push(file);
            }
        }
        if !outcome.failures.is_empty() {
            failed += 1;
        }
        for failure in &outcome.failures {
            report.error(&failure.message(&spec.cmd));
        }
    }
    let denied = opts.report.deny_warnings && warnings > 0;
    if failed > 0 || denied {
        let why = if failed > 0 {
            format!(
                "{failed} plugin{} failed",
                if failed == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{warnings} plugin warning{} denied by --deny-warnings",
                if warnings == 1 { "" } else { "s" }
            )
        };
        report.error(&format!("{why}; nothing was written"));
        return Ok(ExitCode::from(1));
    }

    let dir = &opts.out_dir;
    let stale = output::stale(dir, &files);
    if opts.check {
        // Without `--rust`, the Rust files of the directory are none of this
        // run's business (`changes` would list them all as gone).
        let rust_changes = if opts.rust {
            gs2rust::changes(dir, &rust)
        } else {
            gs2rust::Changes::default()
        };
        if stale.is_empty() && rust_changes.is_empty() {
            if report.verbose() {
                report.status(&format!("{} is up to date", dir.display()));
            }
            return Ok(ExitCode::SUCCESS);
        }
        report.status(&format!(
            "generated code in {} is stale; run `gsc compile` again. Stale files:",
            dir.display()
        ));
        let mut paths: Vec<PathBuf> = stale.iter().map(|f| dir.join(&f.name)).collect();
        paths.extend(rust_changes.write);
        paths.sort();
        for path in &paths {
            report.status(&format!("  {}", path.display()));
        }
        for path in &rust_changes.remove {
            report.status(&format!(
                "  {} (its module is gone: `gsc compile` removes it)",
                path.display()
            ));
        }
        return Ok(ExitCode::from(1));
    }

    let first_time = !dir.join("mod.rs").exists();
    let staged = output::stage(dir, &stale)?;
    if opts.rust {
        gs2rust::write_files(dir, &rust).map_err(|e| Fatal(e.to_string()))?;
    }
    staged.commit()?;
    if opts.rust && (first_time || report.verbose()) {
        if let Some(note) = crate::cmd::compile::declaration_note(dir) {
            report.note(&note);
        }
    }
    if report.verbose() {
        report.status(&format!(
            "wrote {} of {} plugin files to {}",
            stale.len(),
            files.len(),
            dir.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(cmd: &str, param: &str) -> Spec {
        Spec {
            cmd: cmd.into(),
            param: param.into(),
        }
    }

    #[test]
    fn specs_split_at_the_first_colon() {
        assert_eq!(Spec::parse("py"), Ok(spec("py", "")));
        assert_eq!(Spec::parse("py:"), Ok(spec("py", "")));
        assert_eq!(Spec::parse("./x.py:param"), Ok(spec("./x.py", "param")));
        assert_eq!(Spec::parse("py:a=1:b=2"), Ok(spec("py", "a=1:b=2")));
        assert_eq!(
            Spec::parse("/opt/my gen/gen:x"),
            Ok(spec("/opt/my gen/gen", "x"))
        );
        assert!(Spec::parse("").is_err());
        assert!(Spec::parse(":x").is_err());
    }

    #[test]
    fn ancestors_innermost_first() {
        assert_eq!(ancestors("a/b/c.py").collect::<Vec<_>>(), ["a/b", "a"]);
        assert_eq!(ancestors("c.py").count(), 0);
    }

    #[test]
    fn names_and_paths() {
        assert!(spec("py", "").is_name());
        assert!(!spec("./py", "").is_name());
        assert!(!spec("tools/gen", "").is_name());
    }
}
