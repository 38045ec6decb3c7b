//! Diagnostics: the one error type every phase of the front end reports in,
//! and their rendering with codespan-reporting (human) or as JSON lines (tools).
//!
//! Phases build [`Diagnostic`]s; only the CLI decides where they are printed.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

use crate::chars;
use crate::source::SourceMap;
use crate::span::{FileId, Span};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Information that needs no action (`gsc compat`: a change that breaks
    /// nothing on the wire).
    Note,
    /// Something worth a look that does not stop compilation.
    Warning,
    /// The schema is wrong; no code is generated.
    Error,
}

/// A span with an optional message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there; may be empty.
    pub message: String,
}

impl Label {
    /// A label at `span` saying `message`.
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One error or warning, with everything needed to render it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `E0301`, documented in `DIAGNOSTICS.md`.
    pub code: &'static str,
    /// One line, lower-case, no final period, names in backticks.
    pub message: String,
    /// The place the diagnostic is about.
    pub primary: Label,
    /// Related places ("first declared here").
    pub secondary: Vec<Label>,
    /// Free-form notes, printed after the snippet.
    pub notes: Vec<String>,
    /// A suggestion ("did you mean `Status`?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `code` at `span`: an error or a warning as the code says.
    pub fn new(code: crate::codes::Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            ..Diagnostic::error(code.id, message, span)
        }
    }

    /// An error with code `code` at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// A warning with code `code` at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span)
        }
    }

    /// Sets the text of the primary label.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::new(span, message));
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line if `help` is `Some`.
    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The codespan diagnostic, with spans in the coordinates of [`Shown`].
    fn to_codespan(&self, sources: &SourceMap) -> cs::Diagnostic<crate::FileId> {
        let severity = match self.severity {
            Severity::Note => cs::Severity::Note,
            Severity::Warning => cs::Severity::Warning,
            Severity::Error => cs::Severity::Error,
        };
        let range = |span: Span| match sources.get(span.file) {
            Some(file) => file.shown_offset(span.start)..file.shown_offset(span.end),
            None => span.range(),
        };
        // Messages may quote source text: its invisible characters are escaped.
        let mut labels = vec![
            cs::Label::primary(self.primary.span.file, range(self.primary.span))
                .with_message(chars::escape_invisible(&self.primary.message)),
        ];
        labels.extend(self.secondary.iter().map(|l| {
            cs::Label::secondary(l.span.file, range(l.span))
                .with_message(chars::escape_invisible(&l.message))
        }));
        let mut notes: Vec<String> = self
            .notes
            .iter()
            .map(|n| chars::escape_invisible(n))
            .collect();
        if let Some(help) = &self.help {
            notes.push(format!("help: {}", chars::escape_invisible(help)));
        }
        cs::Diagnostic::new(severity)
            .with_code(self.code)
            .with_message(chars::escape_invisible(&self.message))
            .with_labels(labels)
            .with_notes(notes)
    }
}

/// The source map as diagnostics show it: each file's
/// [`shown_text`](crate::SourceFile::shown_text), in which invisible
/// characters are visible, so that a label on one gets a caret that lines up.
struct Shown<'a>(&'a SourceMap);

impl<'a> Files<'a> for Shown<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.0.get(id).ok_or(FilesError::FileMissing)?.shown_text())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .0
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .shown_line_index(byte_index as u32))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id).ok_or(FilesError::FileMissing)?;
        file.shown_line_range(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_count() - 1,
            })
    }
}

/// Lines longer than this are not printed in snippets: a diagnostic on such a
/// line is rendered without its source excerpt.
const MAX_SNIPPET_LINE: usize = 512;

fn has_long_lines(sources: &SourceMap, diag: &Diagnostic) -> bool {
    std::iter::once(&diag.primary)
        .chain(&diag.secondary)
        .any(|label| match sources.get(label.span.file) {
            Some(file) => {
                let first = file.line_index(label.span.start);
                let last = file.line_index(label.span.end);
                (first..=last).any(|line| {
                    file.shown_line_range(line)
                        .is_some_and(|r| r.len() > MAX_SNIPPET_LINE)
                })
            }
            None => false,
        })
}

fn config_for(sources: &SourceMap, diag: &Diagnostic) -> term::Config {
    let mut config = term::Config::default();
    if has_long_lines(sources, diag) {
        config.display_style = term::DisplayStyle::Medium;
    }
    config
}

/// Renders a diagnostic as plain text (no colour), as it is printed on a terminal.
pub fn render(sources: &SourceMap, diag: &Diagnostic) -> String {
    let config = config_for(sources, diag);
    term::emit_into_string(&config, &Shown(sources), &diag.to_codespan(sources)).unwrap_or_else(
        |e| {
            format!(
                "error[{}]: {} (cannot render: {e})\n",
                diag.code, diag.message
            )
        },
    )
}

/// Renders a diagnostic with colour (or not) to a writer that supports styles.
pub fn emit<W: term::WriteStyle + ?Sized>(
    writer: &mut W,
    sources: &SourceMap,
    diag: &Diagnostic,
) -> std::io::Result<()> {
    let config = config_for(sources, diag);
    term::emit_to_write_style(writer, &config, &Shown(sources), &diag.to_codespan(sources))
        .map_err(std::io::Error::other)
}

/// Renders a diagnostic as one line, `file:line:col: error[CODE]: message`,
/// followed by its notes and help on indented lines.
pub fn render_short(sources: &SourceMap, diag: &Diagnostic) -> String {
    let severity = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut out = match sources.get(diag.primary.span.file) {
        Some(file) => {
            let (line, col) = file.line_col(diag.primary.span.start);
            format!("{}:{line}:{col}: ", file.name)
        }
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{severity}[{}]: {}",
        diag.code,
        chars::escape_invisible(&diag.message)
    );
    out
}

/// Renders a diagnostic as one line of JSON, for editors and tools.
///
/// The object has `severity`, `code`, `message`, `file`, `byte_start`,
/// `byte_end` (offsets in the file as it is on disk), `line`, `column`,
/// `end_line`, `end_column` (1-based, columns in characters), `labels`
/// (each with the same location fields, `primary` and `message`), `notes`,
/// `help` and `rendered` (the human form).
pub fn render_json(sources: &SourceMap, diag: &Diagnostic) -> String {
    let mut out = String::with_capacity(256);
    out.push('{');
    let severity = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let _ = write!(out, "\"severity\":\"{severity}\",\"code\":");
    json_string(&mut out, diag.code);
    out.push_str(",\"message\":");
    json_string(&mut out, &diag.message);
    out.push(',');
    json_location(&mut out, sources, diag.primary.span);
    out.push_str(",\"labels\":[");
    for (i, (label, primary)) in std::iter::once((&diag.primary, true))
        .chain(diag.secondary.iter().map(|l| (l, false)))
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        json_location(&mut out, sources, label.span);
        let _ = write!(out, ",\"primary\":{primary},\"message\":");
        json_string(&mut out, &label.message);
        out.push('}');
    }
    out.push_str("],\"notes\":[");
    for (i, note) in diag.notes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, note);
    }
    out.push_str("],\"help\":");
    match &diag.help {
        Some(help) => json_string(&mut out, help),
        None => out.push_str("null"),
    }
    out.push_str(",\"rendered\":");
    json_string(&mut out, &render(sources, diag));
    out.push('}');
    out
}

fn json_location(out: &mut String, sources: &SourceMap, span: Span) {
    let (name, (start, end), (line, column), (end_line, end_column)) = match sources.get(span.file)
    {
        Some(file) => (
            file.name.as_str(),
            (file.disk_offset(span.start), file.disk_offset(span.end)),
            file.line_col(span.start),
            file.line_col(span.end),
        ),
        None => (
            "<unknown>",
            (span.start.into(), span.end.into()),
            (0, 0),
            (0, 0),
        ),
    };
    out.push_str("\"file\":");
    json_string(out, name);
    let _ = write!(
        out,
        ",\"byte_start\":{start},\"byte_end\":{end},\"line\":{line},\"column\":{column},\"end_line\":{end_line},\"end_column\":{end_column}",
    );
}

/// Appends `s` as a JSON string literal.
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Counts the errors and warnings in a list of diagnostics (notes are neither).
pub fn count(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    (errors, warnings)
}
