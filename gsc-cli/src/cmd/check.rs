//! `gsc check`: load, parse and check schemas; print every diagnostic.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::Fatal;
use crate::report::ReportOpts;

/// Check schemas and report every error, without generating code.
///
/// Loads each FILE and every file it imports, checks them against the
/// gslang language reference, and prints all errors and warnings found.
/// Prints nothing when the schemas are clean.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  gsc check chat.gs\n  gsc check -I proto/common game/*.gs\n  gsc check --message-format json chat.gs"
)]
pub struct Opts {
    /// The schema files to check
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Search DIR for imports, after the importing file's own directory (repeatable)
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    #[command(flatten)]
    pub report: ReportOpts,
}

impl Opts {
    /// Runs the check; the exit code says whether the schemas are clean.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        let (mut report, analysis, status) =
            super::analyze(&self.files, &self.include, &self.report)?;
        if report.verbose() && status.is_ok() {
            if let Some(model) = &analysis.model {
                let builtin = model.builtins().module;
                let records = model.records().values().filter(|r| r.module != builtin);
                let enums = model.enums().values().filter(|e| e.module != builtin);
                report.status(&format!(
                    "checked {}, {}, {}, {}",
                    plural(model.modules().len() - 1, "module"),
                    plural(records.count(), "record"),
                    plural(enums.count(), "enum"),
                    plural(model.contracts().len(), "contract"),
                ));
            }
        }
        Ok(status.exit_code())
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
