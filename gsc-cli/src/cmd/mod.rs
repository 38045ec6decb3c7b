//! One module per subcommand; each exposes `Opts` with a `run` method.

pub mod check;
pub mod compat;
pub mod compile;
pub mod fmt;
pub mod ir;
pub mod lsp;
pub mod migrate;

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

/// Every `*.gs` file under `dir`, recursively, in sorted order. Hidden
/// directories (`.git`) and cache directories (those with a `CACHEDIR.TAG`,
/// such as cargo's `target/`) are skipped, and so are symbolic links to
/// directories.
pub fn find_schemas(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            if !hidden && !path.join("CACHEDIR.TAG").exists() {
                find_schemas(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "gs") && path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}
