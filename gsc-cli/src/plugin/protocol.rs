//! The messages of the plugin protocol: one JSON request on the plugin's
//! stdin, one JSON response on its stdout (docs/plugins.md, "External
//! plugins"; `docs/ir.schema.json`, `$defs/Request` and `$defs/Response`).

use serde::{Deserialize, Serialize};

use crate::ir::Ir;

/// What gsc writes to a plugin's stdin.
#[derive(Serialize, Debug)]
pub struct Request<'a> {
    /// The protocol version, [`crate::ir::VERSION`].
    pub version: u32,
    /// The version of gsc that runs the plugin.
    pub gsc_version: &'static str,
    /// The text after the first `:` of `--plugin CMD:PARAM`, or `""`.
    pub parameter: &'a str,
    /// The root files as given on the command line.
    pub roots: Vec<String>,
    /// The checked model, as `gsc ir` prints it.
    pub model: &'a Ir<'a>,
}

/// What a plugin prints on its stdout. Unknown keys are ignored, and both
/// lists may be left out.
#[derive(Deserialize, Debug)]
pub struct Response {
    /// The files to write under the output directory.
    #[serde(default)]
    pub files: Vec<File>,
    /// Errors and warnings for gsc to print.
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

/// A file a plugin generated.
#[derive(Deserialize, Debug)]
pub struct File {
    /// The path, relative to the output directory, with `/` between directories.
    pub name: String,
    /// The text of the file.
    pub content: String,
}

/// A diagnostic a plugin reports.
#[derive(Deserialize, Debug)]
pub struct Diagnostic {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// One line of text.
    pub message: String,
    /// Where, optionally: a span of the model, as the request gives it.
    #[serde(default)]
    pub span: Option<Span>,
}

/// A place in a schema, as the model's spans give it.
#[derive(Deserialize, Debug)]
pub struct Span {
    /// The file, as in the model.
    pub file: String,
    /// 1-based.
    pub line: u64,
    /// 1-based, in characters.
    pub column: u64,
}

/// How bad a plugin's diagnostic is.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing is written and gsc exits with 1.
    Error,
    /// Printed; denied by `--deny-warnings`.
    Warning,
}
