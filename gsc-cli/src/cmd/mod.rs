//! One module per subcommand; each exposes `Opts` with a `run` method.

pub mod check;
pub mod compile;
pub mod fmt;

use std::path::{Path, PathBuf};

use gslang_sema::Analysis;

use crate::Fatal;
use crate::report::{Report, ReportOpts, Status};

/// What the commands share: loads and checks `files`, printing every
/// diagnostic; root files that cannot be read are fatal.
pub fn analyze(
    files: &[PathBuf],
    include: &[impl AsRef<Path>],
    opts: &ReportOpts,
) -> Result<(Report, Analysis, Status), Fatal> {
    let options = gslang_sema::Options {
        include_dirs: include.iter().map(|p| p.as_ref().to_path_buf()).collect(),
    };
    let mut report = Report::new(opts);
    for dir in &options.include_dirs {
        if !dir.is_dir() {
            report.warning(&format!(
                "include directory `{}` does not exist",
                dir.display()
            ));
        }
    }
    let analysis = gslang_sema::analyze_files(files, &options);
    report.root_errors(&analysis.root_errors)?;
    let status = report.diagnostics(&analysis.sources, &analysis.diagnostics)?;
    Ok((report, analysis, status))
}
