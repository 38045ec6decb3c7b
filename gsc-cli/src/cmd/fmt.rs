//! `gsc fmt`: rewrite schemas in the canonical style (gslang-fmt), or check
//! that they are.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use gslang_syntax::SourceMap;

use crate::Fatal;
use crate::report::{Color, MessageFormat, Report, ReportOpts};

/// Format schemas in the canonical style.
///
/// Rewrites each FILE, and every `*.gs` file under each DIR (recursively),
/// in place in the style of docs/style.md: comments, blank lines between
/// items and literals are kept; the checked model never changes. Files
/// already formatted are not written. A file with syntax errors is left as
/// it is: its errors are printed and the exit status is 1.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 when every file is formatted (or was rewritten), 1 when a file has syntax errors or, with --check, is not formatted, 2 on I/O errors.\n\nExamples:\n  gsc fmt proto/                 # rewrite every .gs file under proto/\n  gsc fmt --check proto/         # in CI: exit 1 and list the files that are not formatted\n  gsc fmt - < chat.gs            # for editors: format standard input to standard output"
)]
pub struct Opts {
    /// Files and directories to format; `-` formats standard input to standard output
    #[arg(value_name = "FILE|DIR", required = true)]
    pub paths: Vec<PathBuf>,

    /// Write nothing; exit with 1 and list the files that are not formatted
    #[arg(long)]
    pub check: bool,

    /// How to print syntax errors
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    pub message_format: MessageFormat,

    /// When to use colour
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    /// Print the files that were rewritten
    #[arg(short, long)]
    pub verbose: bool,
}

/// What happened to the files of a run.
#[derive(Default)]
struct Outcome {
    /// Files that are not formatted (rewritten, or listed with `--check`).
    changed: Vec<String>,
    /// Files with syntax errors.
    syntax_errors: usize,
    /// Files that could not be read, written or formatted.
    failed: usize,
}

impl Opts {
    /// Formats the files; the exit code says whether they all were.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        let report_opts = ReportOpts {
            message_format: self.message_format,
            color: self.color,
            deny_warnings: false,
            verbose: self.verbose,
        };
        let mut report = Report::new(&report_opts);
        if self.paths.iter().any(|p| p.as_os_str() == "-") {
            if self.paths.len() > 1 {
                return Err(Fatal(
                    "`-` (standard input) cannot be formatted together with files".into(),
                ));
            }
            return self.stdin(&mut report);
        }

        let mut files = Vec::new();
        let mut outcome = Outcome::default();
        for path in &self.paths {
            if path.is_dir() {
                if let Err(e) = super::find_schemas(path, &mut files) {
                    report.error(&format!("cannot read `{}`: {e}", path.display()));
                    outcome.failed += 1;
                }
            } else {
                files.push(path.clone());
            }
        }
        let mut sources = SourceMap::new();
        for path in &files {
            self.file(path, &mut sources, &mut report, &mut outcome)?;
        }

        if self.check && !outcome.changed.is_empty() {
            let n = outcome.changed.len();
            report.status(&format!(
                "{n} file{} not formatted; run `gsc fmt` on {}:",
                if n == 1 { " is" } else { "s are" },
                if n == 1 { "it" } else { "them" }
            ));
            for name in &outcome.changed {
                report.status(&format!("  {name}"));
            }
        }
        if outcome.failed > 0 {
            return Ok(ExitCode::from(2));
        }
        if outcome.syntax_errors > 0 || (self.check && !outcome.changed.is_empty()) {
            return Ok(ExitCode::from(1));
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Formats one file in place (or checks it).
    fn file(
        &self,
        path: &Path,
        sources: &mut SourceMap,
        report: &mut Report,
        outcome: &mut Outcome,
    ) -> Result<(), Fatal> {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.error(&format!("cannot read `{name}`: {e}"));
                outcome.failed += 1;
                return Ok(());
            }
        };
        let id = match sources.add(name.clone(), Some(path), bytes.clone()) {
            Ok(id) => id,
            Err(e) => {
                report.error(&format!(
                    "cannot format `{name}`: it is larger than 4 GiB ({} bytes)",
                    e.size
                ));
                outcome.failed += 1;
                return Ok(());
            }
        };
        let formatted = match gslang_fmt::format_source(id, sources.file(id)) {
            Ok(text) => text,
            Err(gslang_fmt::Error::Syntax(diags)) => {
                report.emit(sources, &diags)?;
                report.error(&format!(
                    "`{name}` has syntax errors: it was left unchanged"
                ));
                outcome.syntax_errors += 1;
                return Ok(());
            }
            Err(e @ gslang_fmt::Error::Internal(_)) => {
                report.error(&format!(
                    "`{name}` was left unchanged: {e} (please report this bug)"
                ));
                outcome.failed += 1;
                return Ok(());
            }
        };
        if formatted.as_bytes() == bytes.as_slice() {
            return Ok(());
        }
        if !self.check {
            if let Err(e) = std::fs::write(path, &formatted) {
                report.error(&format!("cannot write `{name}`: {e}"));
                outcome.failed += 1;
                return Ok(());
            }
            if self.verbose {
                report.status(&format!("formatted {name}"));
            }
        }
        outcome.changed.push(name);
        Ok(())
    }

    /// Formats standard input to standard output.
    fn stdin(&self, report: &mut Report) -> Result<ExitCode, Fatal> {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
        let mut sources = SourceMap::new();
        let id = sources.add("<stdin>", None, bytes.clone()).map_err(|e| {
            Fatal(format!(
                "standard input is larger than 4 GiB ({} bytes)",
                e.size
            ))
        })?;
        match gslang_fmt::format_source(id, sources.file(id)) {
            Ok(text) => {
                if self.check {
                    return Ok(if text.as_bytes() == bytes.as_slice() {
                        ExitCode::SUCCESS
                    } else {
                        report.status("<stdin> is not formatted");
                        ExitCode::from(1)
                    });
                }
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| Fatal(format!("cannot write standard output: {e}")))?;
                Ok(ExitCode::SUCCESS)
            }
            Err(gslang_fmt::Error::Syntax(diags)) => {
                report.emit(&sources, &diags)?;
                Ok(ExitCode::from(1))
            }
            Err(e @ gslang_fmt::Error::Internal(_)) => Err(Fatal(format!(
                "standard input was not formatted: {e} (please report this bug)"
            ))),
        }
    }
}
