//! Emission of Rust source text, one function per gslang construct.
//!
//! The generator writes formatted Rust directly rather than building token
//! streams and formatting them with prettyplease: on a 1,000-type schema the
//! quote → syn → prettyplease route spends ~270 ms where this takes a few.
//! The output is kept in prettyplease's format (a test checks that
//! prettyplease leaves every generated file unchanged), so the two are
//! interchangeable for readers and diff tools.

mod contract;
mod docs;
mod enum_;
mod record;

use std::fmt::{Display, Write as _};

use gslang_sema::ir::{Annotation, ItemId, Model, ModuleId};
use gslang_syntax::Diagnostic;

use crate::names::{self, Scope};
use crate::types::Facts;

/// A string builder for indented lines.
pub(crate) struct Printer {
    out: String,
    indent: usize,
}

impl Printer {
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

    /// Writes the schema docs as `///` lines that rustdoc reads as text
    /// (see [`docs::rustdoc_lines`]).
    pub fn docs(&mut self, docs: &[String]) {
        if docs.is_empty() {
            return;
        }
        for line in &docs::rustdoc_lines(docs) {
            if line.is_empty() {
                self.line("///");
            } else {
                self.line(format_args!("/// {line}"));
            }
        }
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// What every emitter needs.
pub(crate) struct Cx<'m> {
    pub model: &'m Model,
    pub facts: &'m Facts,
    pub module: ModuleId,
    pub diags: &'m mut Vec<Diagnostic>,
}

impl Cx<'_> {
    /// Writes `#[deprecated(note = …)]` if the annotations include `@Deprecated`.
    pub fn deprecated(&self, p: &mut Printer, annotations: &[Annotation]) {
        if let Some(note) = self.model.deprecated(annotations) {
            if note.is_empty() {
                p.line("#[deprecated]");
            } else {
                p.line(format_args!("#[deprecated(note = {})]", str_lit(note)));
            }
        }
    }
}

/// A Rust string literal for `s`.
pub(crate) fn str_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            // Control characters, and the text-direction controls rustc
            // rejects raw in literals (`text_direction_codepoint_in_literal`).
            c if c.is_control() || gslang_syntax::chars::is_text_direction(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The items of one module, in schema order.
pub(crate) fn module(
    model: &Model,
    facts: &Facts,
    module: ModuleId,
    header: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let m = model.module(module);
    let mut p = Printer::new();
    p.line(header);
    p.line("use ::gscluster::Wire as _;");
    let mut cx = Cx {
        model,
        facts,
        module,
        diags,
    };
    let mut scope = Scope::new("type");
    for &item in &m.items {
        match item {
            ItemId::Record(id) => {
                let r = model.record(id);
                scope.claim(&names::type_name(&r.name), &r.name, r.span, cx.diags);
                record::emit(&mut cx, &mut p, id);
            }
            ItemId::Enum(id) => {
                let e = model.enum_(id);
                scope.claim(&names::type_name(&e.name), &e.name, e.span, cx.diags);
                enum_::emit(&mut cx, &mut p, id);
            }
            ItemId::Contract(id) => {
                let c = model.contract(id);
                let name = format!("{}Method", names::type_name(&c.name));
                scope.claim(
                    &name,
                    &format!("{}'s method list", c.name),
                    c.span,
                    cx.diags,
                );
                contract::emit(&mut cx, &mut p, id);
            }
        }
    }
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::str_lit;

    #[test]
    fn string_literals_escape_what_rustc_rejects_raw() {
        assert_eq!(
            str_lit("a\"\\\r\u{7}\u{202E}\u{2066}\u{200F}\u{e9}"),
            // `é` is printable: it stays as it is.
            concat!(r#""a\"\\\r\u{7}\u{202e}\u{2066}\u{200f}"#, "\u{e9}\"")
        );
    }
}
