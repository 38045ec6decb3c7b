//! `gsc migrate`: convert schemas of the original toolchain's 2014 and 2015
//! dialects to the current language (gslang-migrate).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use gslang_migrate::{COMPAT_FILE, COMPAT_SOURCE, Input, Options};
use gslang_syntax::SourceMap;

use crate::Fatal;
use crate::report::{Color, MessageFormat, Report, ReportOpts};

/// Convert schemas of the old dialects to the current language.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 when every file was converted (warnings and notes allowed), 1 when a file cannot be converted (it is not written), 2 on usage or I/O errors.\n\nExamples:\n  gsc migrate proto/                          # rewrite every .gs file under proto/ in place\n  gsc migrate -o new/ old/*.gs                # write the converted files under new/\n  gsc migrate --map com.gsrpc=vendor/gsrpc.gs chat.gs"
)]
pub struct Opts {
    /// Files and directories to convert, together: a `using` of a type
    /// another of them declares becomes an import of that file
    #[arg(value_name = "FILE|DIR", required = true)]
    pub paths: Vec<PathBuf>,

    /// Write the converted files under DIR (keeping their paths relative to
    /// the directory that holds them all) instead of in place
    #[arg(short = 'o', long = "out-dir", value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// The file that declares the types of PACKAGE (`using PACKAGE.Type;`),
    /// or replaces a 2014 package directory (`import "PACKAGE"`), when no
    /// file of the run does
    #[arg(long = "map", value_name = "PACKAGE=FILE", value_parser = parse_map)]
    pub maps: Vec<(String, PathBuf)>,

    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    pub message_format: MessageFormat,

    /// When to use colour
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    /// Print the files that were written
    #[arg(short, long)]
    pub verbose: bool,
}

fn parse_map(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((package, file)) if !package.is_empty() && !file.is_empty() => {
            Ok((package.to_owned(), PathBuf::from(file)))
        }
        _ => Err(format!("expected PACKAGE=FILE, found `{s}`")),
    }
}

fn absolute(path: &Path) -> Result<PathBuf, Fatal> {
    std::path::absolute(path)
        .map_err(|e| Fatal(format!("cannot resolve `{}`: {e}", path.display())))
}

impl Opts {
    /// Converts the files; the exit code says whether they all could be.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        let report_opts = ReportOpts {
            message_format: self.message_format,
            color: self.color,
            deny_warnings: false,
            verbose: self.verbose,
        };
        let mut report = Report::new(&report_opts);
        let mut files = Vec::new();
        for path in &self.paths {
            if path.is_dir() {
                super::find_schemas(path, &mut files)
                    .map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
            } else {
                files.push(path.clone());
            }
        }
        let mut sources = SourceMap::new();
        let mut absolute_paths = Vec::new();
        let mut ids = Vec::new();
        for path in &files {
            let bytes = std::fs::read(path)
                .map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
            let id = sources
                .add(path.display().to_string(), Some(path), bytes)
                .map_err(|e| {
                    Fatal(format!(
                        "`{}` is too large ({} bytes)",
                        path.display(),
                        e.size
                    ))
                })?;
            ids.push(id);
            absolute_paths.push(absolute(path)?);
        }
        // The directory that holds every input: the outputs keep their paths below it.
        let root = common_dir(&absolute_paths);
        let out_root = match &self.out_dir {
            Some(dir) => absolute(dir)?,
            None => root.clone(),
        };
        let inputs: Vec<Input> = ids
            .iter()
            .zip(&absolute_paths)
            .map(|(&id, path)| Input {
                id,
                path: out_root.join(path.strip_prefix(&root).unwrap_or(path)),
            })
            .collect();
        let mut maps = Vec::new();
        for (package, file) in &self.maps {
            maps.push((package.clone(), absolute(file)?));
        }
        let options = Options {
            maps,
            compat_path: out_root.join(COMPAT_FILE),
        };
        let outcome = gslang_migrate::migrate(&sources, &inputs, &options);
        let status = report.emit(&sources, &outcome.diagnostics)?;
        let mut written = 0;
        for (input, migrated) in inputs.iter().zip(&outcome.files) {
            let Some(text) = &migrated.text else { continue };
            write(&input.path, text)?;
            written += 1;
            if report.verbose() {
                report.status(&format!("wrote {}", input.path.display()));
            }
        }
        if outcome.needs_compat {
            write(&options.compat_path, COMPAT_SOURCE)?;
            if report.verbose() {
                report.status(&format!("wrote {}", options.compat_path.display()));
            }
        }
        let failed = outcome.files.len() - written;
        if failed > 0 {
            report.error(&format!(
                "{failed} file{} could not be converted and {} not written",
                if failed == 1 { "" } else { "s" },
                if failed == 1 { "was" } else { "were" }
            ));
        }
        Ok(status.exit_code())
    }
}

fn write(path: &Path, text: &str) -> Result<(), Fatal> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Fatal(format!("cannot create `{}`: {e}", dir.display())))?;
    }
    std::fs::write(path, text).map_err(|e| Fatal(format!("cannot write `{}`: {e}", path.display())))
}

/// The deepest directory that holds every one of `paths` (absolute files).
fn common_dir(paths: &[PathBuf]) -> PathBuf {
    let mut dirs = paths.iter().filter_map(|p| p.parent());
    let Some(first) = dirs.next() else {
        return PathBuf::new();
    };
    let mut common = first.to_path_buf();
    for dir in dirs {
        while !dir.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}
