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

/// prettyplease's line width: a line longer than this is broken where it can be.
const MARGIN: usize = 89;

/// The type a signature returns: `outer<arg>suffix`, e.g.
/// `impl ::gscluster::rpc::Reply<` `::std::string::String` `> + '_`.
pub(crate) struct Returns<'a> {
    pub outer: &'a str,
    pub arg: ReturnArg,
    pub suffix: &'a str,
}

/// The generic argument of a [`Returns`].
pub(crate) enum ReturnArg {
    /// One type.
    Plain(String),
    /// A tuple of two or more types.
    Tuple(Vec<String>),
}

impl ReturnArg {
    fn one_line(&self) -> String {
        match self {
            ReturnArg::Plain(ty) => ty.clone(),
            ReturnArg::Tuple(items) => format!("({})", items.join(", ")),
        }
    }
}

impl Printer {
    fn fits(&self, text: &str) -> bool {
        self.indent * 4 + text.len() <= MARGIN
    }

    /// Writes a function signature, `head(params) -> returns` then `tail`
    /// (`;` or ` {`, which then opens a block), broken where prettyplease
    /// breaks it: on one line if it fits; else one param per line, and the
    /// return type's generic argument on lines of its own if the line of
    /// `) -> returns` still does not fit.
    pub(crate) fn signature(
        &mut self,
        head: &str,
        params: &[String],
        ret: &Returns<'_>,
        tail: &str,
    ) {
        let arg = ret.arg.one_line();
        let one = format!(
            "{head}({}) -> {}<{arg}>{}{tail}",
            params.join(", "),
            ret.outer,
            ret.suffix
        );
        if self.fits(&one) {
            self.line_then(&one, tail);
            return;
        }
        self.open(format_args!("{head}("));
        for p in params {
            self.line(format_args!("{p},"));
        }
        self.indent -= 1;
        let close = format!(") -> {}<{arg}>{}{tail}", ret.outer, ret.suffix);
        if self.fits(&close) {
            self.line_then(&close, tail);
        } else {
            self.line(format_args!(") -> {}<", ret.outer));
            self.return_arg(ret, tail);
        }
    }

    /// The broken generic argument of `ret`, then `>suffix tail`.
    fn return_arg(&mut self, ret: &Returns<'_>, tail: &str) {
        self.indent += 1;
        match &ret.arg {
            ReturnArg::Tuple(items) if !self.fits(&format!("{},", ret.arg.one_line())) => {
                self.open("(");
                for item in items {
                    self.line(format_args!("{item},"));
                }
                self.close("),");
            }
            arg => self.line(format_args!("{},", arg.one_line())),
        }
        self.indent -= 1;
        self.line_then(&format!(">{}{tail}", ret.suffix), tail);
    }

    /// Writes `text`, indenting after it if `tail` opens a block.
    fn line_then(&mut self, text: &str, tail: &str) {
        if tail.ends_with('{') {
            self.open(text);
        } else {
            self.line(text);
        }
    }

    /// Writes `head` (which ends with `(` or `[`), a list, and `tail` (which
    /// starts with the closing `)` or `]`), as `let params = (a, b);`: on
    /// one line if it fits, else one item per line.
    pub(crate) fn list(&mut self, head: &str, items: &[String], tail: &str) {
        // A tuple of one is written with its comma.
        let comma = if items.len() == 1 && head.ends_with('(') {
            ","
        } else {
            ""
        };
        let one = format!("{head}{}{comma}{tail}", items.join(", "));
        if self.fits(&one) {
            self.line(&one);
            return;
        }
        self.open(head);
        for item in items {
            self.item(item, ",");
        }
        self.close(tail);
    }

    /// Writes `item` then `suffix` on a line if it fits; else, if it is a
    /// method call `receiver.method(arg)` (what plugins wrap handlers in),
    /// broken as prettyplease breaks it: the receiver, then `.method(arg)`
    /// on a line of its own, then `arg` on one of its own (broken likewise).
    fn item(&mut self, item: &str, suffix: &str) {
        let one = format!("{item}{suffix}");
        if self.fits(&one) {
            self.line(&one);
            return;
        }
        let Some((receiver, method, arg)) = method_call(item) else {
            self.line(&one);
            return;
        };
        self.line(receiver);
        self.indent += 1;
        let call = format!(".{method}({arg}){suffix}");
        if self.fits(&call) {
            self.line(&call);
        } else {
            self.open(format_args!(".{method}("));
            self.item(arg, ",");
            self.close(format_args!("){suffix}"));
        }
        self.indent -= 1;
    }
}

/// `receiver.method(arg)` split in its parts, if `expr` is a method call
/// with one argument at its top level (commas in `arg` are inside brackets).
fn method_call(expr: &str) -> Option<(&str, &str, &str)> {
    let inner = expr.strip_suffix(')')?;
    // The `(` that the last `)` closes.
    let mut depth = 0usize;
    let mut open = None;
    for (i, b) in inner.bytes().enumerate().rev() {
        match b {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth == 0 => {
                open = Some(i);
                break;
            }
            b'(' | b'[' | b'{' => depth -= 1,
            b',' if depth == 0 => return None,
            _ => {}
        }
    }
    let open = open?;
    if inner.as_bytes()[open] != b'(' {
        return None;
    }
    let (before, arg) = (&inner[..open], &inner[open + 1..]);
    let dot = before.rfind('.')?;
    let (receiver, method) = (&before[..dot], &before[dot + 1..]);
    let is_ident = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (is_ident && !receiver.is_empty() && !receiver.ends_with(':'))
        .then_some((receiver, method, arg))
}

/// The expression of a match arm.
pub(crate) enum Arm<'a> {
    /// Written as it is.
    Plain(&'a str),
    /// A call `head(args)`, whose args prettyplease breaks one per line.
    Call(&'a str, &'a [String]),
}

impl Printer {
    /// Writes the match arm `pat => expr,`: on one line if it fits, else
    /// with the expression in a block of its own (a call's args broken
    /// there if they still do not fit), as prettyplease writes it.
    pub(crate) fn arm(&mut self, pat: impl Display, expr: Arm<'_>) {
        let one = match &expr {
            Arm::Plain(text) => format!("{pat} => {text},"),
            Arm::Call(head, args) => format!("{pat} => {head}({}),", args.join(", ")),
        };
        if self.fits(&one) {
            self.line(&one);
            return;
        }
        self.open(format_args!("{pat} => {{"));
        match expr {
            Arm::Plain(text) => self.line(text),
            Arm::Call(head, args) => self.list(&format!("{head}("), args, ")"),
        }
        self.close("}");
    }
}
