//! `gsc compile`: check schemas, then generate one Rust module per gslang
//! module and a `mod.rs` that declares them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use gs2rust::names::ModuleIdent;

use crate::Fatal;
use crate::report::ReportOpts;

/// Generate Rust code from schemas.
///
/// Checks each FILE and every file it imports, then writes `<module>.rs` for
/// each of those modules and a `mod.rs` declaring them into DIR. Declare the
/// directory as a module of your crate (`mod proto;` for `src/proto`) and depend
/// on the `gscluster` crate. Files whose contents would not change are left
/// untouched; files gsc generated there before for modules that are gone are
/// removed, and no other file is. With `--plugin`, external back ends
/// generate instead (docs/plugins.md).
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  gsc compile chat.gs -o src/proto\n  gsc compile -I idl idl/*.gs -o src/proto\n  gsc compile --check chat.gs -o src/proto   # in CI: fail if src/proto is stale\n  gsc compile --plugin py:opt=1 chat.gs -o gen   # gsc-gen-py on PATH: docs/plugins.md"
)]
pub struct Opts {
    /// The schema files to compile
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Write the generated Rust into DIR (created if missing)
    #[arg(short = 'o', long = "out-dir", value_name = "DIR", required = true)]
    pub out_dir: PathBuf,

    /// Search DIR for imports, after the importing file's own directory (repeatable)
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Write nothing; exit with 1 if DIR differs from what would be generated (files missing, different, or left from modules that are gone)
    #[arg(long)]
    pub check: bool,

    /// Run an external back end instead of generating Rust (repeatable): CMD gets the model as JSON on stdin and answers with files; PARAM (after the first `:`) is passed to it. A CMD without `/` is looked up on PATH as `gsc-gen-CMD`, then as `CMD`
    #[arg(long = "plugin", value_name = "CMD[:PARAM]", value_parser = crate::plugin::Spec::parse)]
    pub plugins: Vec<crate::plugin::Spec>,

    /// With --plugin, generate Rust too (without --plugin, Rust is all `gsc compile` generates)
    #[arg(long, requires = "plugins")]
    pub rust: bool,

    #[command(flatten)]
    pub report: ReportOpts,
}

impl Opts {
    /// Runs the compilation.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        let (mut report, analysis, status) =
            super::analyze(&self.files, &self.include, &self.report)?;
        let Some(model) = analysis.model.as_ref().filter(|_| status.is_ok()) else {
            return Ok(ExitCode::from(1));
        };
        if !self.plugins.is_empty() {
            return crate::plugin::compile(&self, report, &analysis, model);
        }
        let files = match gs2rust::generate(model, &gs2rust::GenOptions::default()) {
            Ok(files) => files,
            Err(diags) => {
                // The back end's errors (E06xx: name clashes, limits, the
                // gate's checks): schema errors, exit code 1.
                report.diagnostics(&analysis.sources, &diags)?;
                return Ok(ExitCode::from(1));
            }
        };
        let changes = gs2rust::changes(&self.out_dir, &files);
        if self.check {
            if changes.is_empty() {
                if report.verbose() {
                    report.status(&format!("{} is up to date", self.out_dir.display()));
                }
                return Ok(ExitCode::SUCCESS);
            }
            report.status(&format!(
                "generated code in {} is stale; run `gsc compile` again. Stale files:",
                self.out_dir.display()
            ));
            for path in &changes.write {
                report.status(&format!("  {}", path.display()));
            }
            for path in &changes.remove {
                report.status(&format!(
                    "  {} (its module is gone: `gsc compile` removes it)",
                    path.display()
                ));
            }
            return Ok(ExitCode::from(1));
        }
        // The note on declaring the directory is for setting it up: it is
        // shown when gsc writes the directory's `mod.rs` for the first time.
        let first_time = !self.out_dir.join("mod.rs").exists();
        gs2rust::write_files(&self.out_dir, &files).map_err(|e| Fatal(e.to_string()))?;
        if first_time || report.verbose() {
            if let Some(note) = declaration_note(&self.out_dir) {
                report.note(&note);
            }
        }
        if report.verbose() {
            let lines: usize = files
                .iter()
                .filter(|f| changes.write.contains(&self.out_dir.join(&f.name)))
                .map(|f| f.contents.lines().count())
                .sum();
            report.status(&format!(
                "wrote {} files ({lines} lines) to {}",
                changes.write.len(),
                self.out_dir.display()
            ));
            if !changes.remove.is_empty() {
                report.status(&format!(
                    "removed {} files of modules that are gone",
                    changes.remove.len()
                ));
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// How to declare the output directory as a module, when `mod NAME;` does
/// not compile: its name is a keyword (`gen` since edition 2024) or not an
/// identifier at all.
pub(crate) fn declaration_note(out_dir: &Path) -> Option<String> {
    let name = out_dir.file_name()?.to_str()?;
    match gs2rust::names::module_ident(name) {
        ModuleIdent::Plain => None,
        ModuleIdent::Raw(raw) => Some(format!(
            "`{name}` is a Rust keyword: declare the directory's module as `mod {raw};`"
        )),
        ModuleIdent::Reserved => Some(format!(
            "`{name}` is a Rust keyword that cannot name a module, even as a raw identifier: rename the directory"
        )),
        ModuleIdent::NotAnIdent => Some(format!(
            "`{name}` is not a Rust identifier: rename the directory, or declare its module with `#[path = \"{name}/mod.rs\"] mod {};`",
            gs2rust::names::module_name(name)
        )),
    }
}
