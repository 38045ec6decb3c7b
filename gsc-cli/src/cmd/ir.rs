//! `gsc ir`: check schemas, then print the checked model as JSON (the
//! format of [`crate::ir`], described by `docs/ir.schema.json`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::Fatal;
use crate::report::{MessageFormat, ReportOpts};

/// Print the checked model as JSON.
///
/// Checks each FILE and every file it imports, then prints the model on
/// stdout as one JSON document: modules, records, enums and contracts (with
/// their flattened method lists), every annotation evaluated, types as tagged
/// objects, spans as file, line and column. The format is versioned
/// (`"version": 1`) and described by docs/ir.schema.json; it is what
/// `gsc compile --plugin` gives external back ends.
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  gsc ir chat.gs\n  gsc ir -I idl idl/game.gs -o game.json\n  gsc ir --compact chat.gs | jq '.contracts[].full_name'"
)]
pub struct Opts {
    /// The schema files to read
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Search DIR for imports, after the importing file's own directory (repeatable)
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Write the JSON to FILE instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print the JSON on one line instead of indented
    #[arg(long)]
    pub compact: bool,

    #[command(flatten)]
    pub report: ReportOpts,
}

impl Opts {
    /// Checks the schemas and prints their model.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        if self.report.message_format == MessageFormat::Json && self.output.is_none() {
            return Err(Fatal(
                "`--message-format json` prints diagnostics on stdout, where `gsc ir` prints the model: write the model to a file with `-o FILE`".into(),
            ));
        }
        let (mut report, analysis, status) =
            super::analyze(&self.files, &self.include, &self.report)?;
        let Some(model) = analysis.model.as_ref().filter(|_| status.is_ok()) else {
            return Ok(ExitCode::from(1));
        };
        let ir = match crate::ir::build(model, &analysis.sources) {
            Ok(ir) => ir,
            Err(e) => {
                report.error(&too_large(&e));
                return Ok(ExitCode::from(1));
            }
        };
        let mut json = if self.compact {
            serde_json::to_vec(&ir)
        } else {
            serde_json::to_vec_pretty(&ir)
        }
        .map_err(|e| Fatal(format!("cannot write the model as JSON: {e}")))?;
        json.push(b'\n');
        match &self.output {
            Some(path) => std::fs::write(path, &json)
                .map_err(|e| Fatal(format!("cannot write `{}`: {e}", path.display())))?,
            None => {
                let mut out = std::io::stdout().lock();
                out.write_all(&json)
                    .and_then(|()| out.flush())
                    .map_err(|e| Fatal(format!("cannot write the model: {e}")))?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The message for a model whose method lists are too long to write out.
pub fn too_large(e: &crate::ir::TooLarge) -> String {
    format!(
        "the model is too large to write as JSON: the flattened method lists of its contracts have over {} entries in all (that of `{}` has {}; a long inheritance chain makes them quadratic in its length)",
        crate::ir::MAX_METHOD_ENTRIES,
        e.contract,
        e.len
    )
}
