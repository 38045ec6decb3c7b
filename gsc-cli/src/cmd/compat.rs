//! `gsc compat`: check two versions of a schema set against each other
//! under the wire rules (gslang-compat).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use gslang_sema::Analysis;
use gslang_syntax::{Diagnostic, Severity};

use crate::Fatal;
use crate::report::{MessageFormat, Report, ReportOpts};

/// Check that a new version of schemas is wire-compatible with an old one.
///
/// OLD and NEW are two schema files, or two directories of them (every
/// `*.gs` file under each, recursively). Modules are paired by name, so the
/// usual layout is the same files in two trees: `old/chat.gs` and
/// `new/chat.gs`. Every change that breaks what peers of the two versions
/// exchange is an error, with labels in both versions and the contracts
/// whose calls it breaks; changes old or new peers may reject are warnings;
/// changes that only break source code or routing by name are notes.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 when NEW is compatible with OLD (warnings and notes allowed), 1 when a change breaks wire compatibility or a version has schema errors, 2 on usage or I/O errors.\n\nExamples:\n  gsc compat old/chat.gs new/chat.gs\n  gsc compat -I proto/common old/proto new/proto\n  gsc compat --old-include old/vendor --new-include vendor old/proto proto\n  gsc compat --message-format json old new"
)]
pub struct Opts {
    /// The old version: a schema file, or a directory of schemas
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The new version: a file if OLD is one, a directory if OLD is one
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Search DIR for imports of both versions, after the importing file's own directory (repeatable)
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Search DIR for imports of the old version only, before the -I directories (repeatable)
    #[arg(long = "old-include", value_name = "DIR")]
    pub old_include: Vec<PathBuf>,

    /// Search DIR for imports of the new version only, before the -I directories (repeatable)
    #[arg(long = "new-include", value_name = "DIR")]
    pub new_include: Vec<PathBuf>,

    #[command(flatten)]
    pub report: ReportOpts,
}

impl Opts {
    /// Compares the versions; the exit code says whether they are compatible.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        let mut report = Report::new(&self.report);
        let dirs = match (kind(&self.old)?, kind(&self.new)?) {
            (Kind::Dir, Kind::Dir) => true,
            (Kind::File, Kind::File) => false,
            _ => {
                return Err(Fatal(format!(
                    "`{}` and `{}` must both be files or both be directories",
                    self.old.display(),
                    self.new.display()
                )));
            }
        };
        let mut versions = Vec::new();
        for (label, path, only) in [
            ("old", &self.old, &self.old_include),
            ("new", &self.new, &self.new_include),
        ] {
            let include: Vec<PathBuf> = only.iter().chain(&self.include).cloned().collect();
            for dir in &include {
                if !dir.is_dir() {
                    report.warning(&format!(
                        "include directory `{}` does not exist",
                        dir.display()
                    ));
                }
            }
            let roots = if dirs {
                let mut roots = Vec::new();
                super::find_schemas(path, &mut roots)
                    .map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
                if roots.is_empty() {
                    return Err(Fatal(format!("no `*.gs` file in `{}`", path.display())));
                }
                roots
            } else {
                vec![path.clone()]
            };
            let options = gslang_sema::Options {
                include_dirs: include,
            };
            let analysis = gslang_sema::analyze_files(&roots, &options);
            report.root_errors(&analysis.root_errors)?;
            versions.push((label, path, analysis));
        }

        // A version with errors cannot be compared: its errors are the report.
        let mut broken = false;
        for (label, path, analysis) in &versions {
            if analysis.model.is_none() {
                let errors: Vec<Diagnostic> = analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                report.emit(&analysis.sources, &errors)?;
                report.error(&format!(
                    "the {label} version (`{}`) has errors: fix them, then compare",
                    path.display()
                ));
                broken = true;
            }
        }
        if broken {
            return Ok(ExitCode::from(1));
        }

        let (Some((_, _, new)), Some((_, _, old))) = (versions.pop(), versions.pop()) else {
            return Err(Fatal("internal error: two versions expected".into()));
        };
        let (old, new): (Analysis, Analysis) = (old, new);
        let (Some(old_model), Some(new_model)) = (old.model.as_ref(), new.model.as_ref()) else {
            return Ok(ExitCode::from(1));
        };
        let options = gslang_compat::Options {
            old_root: dirs.then(|| canonical(&self.old)).flatten(),
            new_root: dirs.then(|| canonical(&self.new)).flatten(),
            pair_roots: !dirs,
        };
        let comparison =
            gslang_compat::compare(old_model, old.sources, new_model, new.sources, &options);
        let status = report.emit(&comparison.sources, &comparison.diagnostics)?;
        let notes = comparison
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .count();
        if self.report.message_format == MessageFormat::Human {
            let counts = counts(status.warnings, notes);
            let (old, new) = (self.old.display(), self.new.display());
            if status.errors > 0 {
                report.error(&format!(
                    "`{new}` breaks wire compatibility with `{old}`: {}{counts}",
                    plural(status.errors, "breaking change")
                ));
            } else if status.warnings > 0 && self.report.deny_warnings {
                report.error(&format!(
                    "`{new}` is compatible with `{old}` on the wire, but {} denied by --deny-warnings",
                    plural(status.warnings, "warning")
                ));
            } else if status.warnings > 0 {
                report.warning(&format!(
                    "`{new}` is compatible with `{old}` on the wire{counts}"
                ));
            } else if notes > 0 || report.verbose() {
                report.note(&format!(
                    "`{new}` is compatible with `{old}` on the wire{counts}"
                ));
            }
        }
        Ok(status.exit_code())
    }
}

enum Kind {
    File,
    Dir,
}

fn kind(path: &Path) -> Result<Kind, Fatal> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(Kind::Dir),
        Ok(_) => Ok(Kind::File),
        Err(e) => Err(Fatal(format!("cannot read `{}`: {e}", path.display()))),
    }
}

fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// `; 1 warning, 2 notes`, or nothing.
fn counts(warnings: usize, notes: usize) -> String {
    let mut parts = Vec::new();
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}
