//! [`Printer`]: the text buffer every emitter and plugin appends Rust to,
//! one indented line at a time.

use std::fmt::{Display, Write as _};

/// A string builder for indented lines: the module being written.
///
/// Emitters write text in prettyplease's format directly (4-space indents,
/// one item per line); see the crate docs for the formatting policy.
#[derive(Debug)]
pub struct Printer {
    out: String,
    indent: usize,
}

impl Default for Printer {
    fn default() -> Self {
        Printer::new()
    }
}

impl Printer {
    /// An empty buffer.
    pub fn new() -> Printer {
        Printer {
            out: String::with_capacity(1 << 16),
            indent: 0,
        }
    }

    /// Writes one line at the current indentation.
    pub fn line(&mut self, text: impl Display) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        let _ = writeln!(self.out, "{text}");
    }

    /// Writes a line that opens a block, and indents.
    pub fn open(&mut self, text: impl Display) {
        self.line(text);
        self.indent += 1;
    }

    /// Unindents, and writes a line that closes a block.
    pub fn close(&mut self, text: impl Display) {
        self.indent = self.indent.saturating_sub(1);
        self.line(text);
    }

    /// Writes schema docs as `///` lines that rustdoc reads as plain text:
    /// no doctests, links or HTML come from them.
    pub fn docs(&mut self, docs: &[String]) {
        if docs.is_empty() {
            return;
        }
        for line in &crate::emit::docs::rustdoc_lines(docs) {
            if line.is_empty() {
                self.line("///");
            } else {
                self.line(format_args!("/// {line}"));
            }
        }
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// The text.
    pub fn finish(self) -> String {
        self.out
    }
}
