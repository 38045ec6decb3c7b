//! Printing diagnostics: human-readable (colour on a terminal unless
//! `NO_COLOR` is set) on stderr, or JSON lines on stdout for tools.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use gslang_sema::RootError;
use gslang_syntax::diag;
use gslang_syntax::{Diagnostic, SourceMap};

use crate::Fatal;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Rendered with source snippets, on stderr
    Human,
    /// One line per diagnostic: `file:line:col: error[CODE]: message`, on stderr
    Short,
    /// One JSON object per line, on stdout
    Json,
}

/// When to use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when stderr is a terminal and `NO_COLOR` is not set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// Options shared by every command that reports diagnostics.
#[derive(Args, Debug, Clone)]
pub struct ReportOpts {
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FORMAT")]
    pub message_format: MessageFormat,

    /// When to use colour
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    /// Treat warnings as errors
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print a summary line on success
    #[arg(short, long)]
    pub verbose: bool,
}

/// What the diagnostics of a run amount to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub errors: usize,
    pub warnings: usize,
    pub deny_warnings: bool,
}

impl Status {
    pub fn is_ok(self) -> bool {
        self.errors == 0 && !(self.deny_warnings && self.warnings > 0)
    }

    pub fn exit_code(self) -> ExitCode {
        if self.is_ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

pub struct Report {
    opts: ReportOpts,
    stderr: StandardStream,
}

impl Report {
    pub fn new(opts: &ReportOpts) -> Report {
        let choice = color_choice(opts.color, auto_colors());
        Report {
            opts: opts.clone(),
            stderr: StandardStream::stderr(choice),
        }
    }

    pub fn verbose(&self) -> bool {
        self.opts.verbose
    }

    /// Root files that could not be read are usage/I-O errors.
    pub fn root_errors(&mut self, errors: &[RootError]) -> Result<(), Fatal> {
        match errors {
            [] => Ok(()),
            [one] => Err(Fatal(format!(
                "cannot read `{}`: {}",
                one.path.display(),
                one.error
            ))),
            many => Err(Fatal(
                many.iter()
                    .map(|e| format!("cannot read `{}`: {}", e.path.display(), e.error))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
        }
    }

    /// Prints every diagnostic, then a summary; returns the status.
    pub fn diagnostics(
        &mut self,
        sources: &SourceMap,
        diags: &[Diagnostic],
    ) -> Result<Status, Fatal> {
        let status = self.emit(sources, diags)?;
        if self.opts.message_format == MessageFormat::Human
            && (status.errors > 0 || status.warnings > 0)
        {
            self.summary(status)
                .map_err(|e| Fatal(format!("cannot write diagnostics: {e}")))?;
        }
        Ok(status)
    }

    /// Prints every diagnostic, without a summary; returns the status.
    pub fn emit(&mut self, sources: &SourceMap, diags: &[Diagnostic]) -> Result<Status, Fatal> {
        let (errors, warnings) = diag::count(diags);
        let status = Status {
            errors,
            warnings,
            deny_warnings: self.opts.deny_warnings,
        };
        let io = |e: std::io::Error| Fatal(format!("cannot write diagnostics: {e}"));
        match self.opts.message_format {
            MessageFormat::Json => {
                let stdout = std::io::stdout();
                let mut out = stdout.lock();
                for d in diags {
                    writeln!(out, "{}", diag::render_json(sources, d)).map_err(io)?;
                }
                out.flush().map_err(io)?;
            }
            MessageFormat::Short => {
                let mut err = self.stderr.lock();
                for d in diags {
                    write!(err, "{}", diag::render_short(sources, d)).map_err(io)?;
                }
            }
            MessageFormat::Human => {
                let mut err = self.stderr.lock();
                for d in diags {
                    diag::emit(&mut err, sources, d).map_err(io)?;
                }
            }
        }
        Ok(status)
    }

    fn summary(&mut self, status: Status) -> std::io::Result<()> {
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut err = self.stderr.lock();
        if status.errors > 0 {
            let mut line = format!(
                "could not compile due to {}",
                plural(status.errors, "error")
            );
            if status.warnings > 0 {
                line.push_str(&format!("; {} emitted", plural(status.warnings, "warning")));
            }
            write_headed(&mut err, "error", &line)
        } else if status.deny_warnings {
            write_headed(
                &mut err,
                "error",
                &format!(
                    "{} denied by --deny-warnings",
                    plural(status.warnings, "warning")
                ),
            )
        } else {
            write_headed(
                &mut err,
                "warning",
                &format!("{} emitted", plural(status.warnings, "warning")),
            )
        }
    }

    /// An error about one file rather than its schema (it cannot be read).
    pub fn error(&mut self, message: &str) {
        let mut err = self.stderr.lock();
        let _ = write_headed(&mut err, "error", message);
    }

    /// A warning about the invocation rather than the schema.
    pub fn warning(&mut self, message: &str) {
        let mut err = self.stderr.lock();
        let _ = write_headed(&mut err, "warning", message);
    }

    /// Advice about the invocation, such as how to use its output.
    pub fn note(&mut self, message: &str) {
        let mut err = self.stderr.lock();
        let _ = write_headed(&mut err, "note", message);
    }

    pub fn status(&mut self, message: &str) {
        let mut err = self.stderr.lock();
        let _ = writeln!(err, "{message}");
    }
}

fn write_headed(
    out: &mut impl codespan_reporting::term::termcolor::WriteColor,
    head: &str,
    line: &str,
) -> std::io::Result<()> {
    use codespan_reporting::term::termcolor::{Color as C, ColorSpec};
    let color = match head {
        "error" => C::Red,
        "warning" => C::Yellow,
        _ => C::Green,
    };
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(out, "{head}")?;
    out.set_color(ColorSpec::new().set_bold(true))?;
    write!(out, ": {line}")?;
    out.reset()?;
    writeln!(out)
}

/// Whether `--color auto` colours: stderr is a terminal, `NO_COLOR` is unset
/// or empty (<https://no-color.org>), and `TERM` is not `dumb`.
fn auto_colors() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    std::io::stderr().is_terminal() && !no_color && !dumb
}

/// `--color always` and `never` win; `auto` colours when [`auto_colors`]
/// says so. The decision is made here, never left to termcolor's own `Auto`
/// (which would also turn colour off for an empty `NO_COLOR`).
fn color_choice(flag: Color, auto_colors: bool) -> ColorChoice {
    match flag {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto if auto_colors => ColorChoice::Always,
        Color::Auto => ColorChoice::Never,
    }
}

/// Prints an error that is not about the schema.
pub fn fatal(message: &str) {
    let choice = color_choice(Color::Auto, auto_colors());
    let mut err = StandardStream::stderr(choice);
    for line in message.lines() {
        let _ = write_headed(&mut err, "error", line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_choice() {
        assert_eq!(color_choice(Color::Auto, true), ColorChoice::Always);
        assert_eq!(color_choice(Color::Auto, false), ColorChoice::Never);
        assert_eq!(color_choice(Color::Always, false), ColorChoice::Always);
        assert_eq!(color_choice(Color::Never, true), ColorChoice::Never);
    }
}
