//! Every diagnostic of the lexer and the parser, declared once: one enum
//! per phase, one variant per code with the data of the report, and one
//! conversion into [`Diagnostic`] that writes its prose. See
//! [`codes`](crate::codes).

use crate::chars;
use crate::codes::Phase;
use crate::diag::{Diagnostic, Label};
use crate::span::Span;

crate::diagnostics! {
    /// Lexical errors and warnings (spec §1).
    #[phase = "Lexical", location = "gslang-syntax::lexer"]
    pub enum LexError {
        /// invalid UTF-8 in a source file (each bad byte sequence, at its offset)
        E0001 InvalidUtf8 { span: Span, bytes: usize },
        /// a `/*` comment is never closed
        E0002 UnterminatedComment { span: Span },
        /// a string literal is not closed on its line
        E0003 UnterminatedString { span: Span, line_end: Span, quote: char },
        /// an unknown or malformed escape in a string
        E0004 BadEscape { span: Span, message: String, label: &'static str },
        /// an identifier with non-ASCII characters
        E0005 NonAsciiIdent { text: String, span: Span, bad: String },
        /// characters that start no token; a stray `*/` after a block comment with a `/*` inside says that block comments do not nest, and syntax errors in the text between are not reported
        E0006 UnexpectedChars { text: String, span: Span, help: Option<String>, stray_end: Option<StrayEnd> },
        /// `0x` without hex digits
        E0007 HexWithoutDigits { span: Span },
        /// brackets nested deeper than 128 levels; the rest of the file is not read
        E0008 NestedTooDeep { span: Span, level: usize, max: usize },
        /// a Unicode text-direction control (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C; "Trojan Source") in a comment or string literal, which makes it display differently from what it is; generated documentation leaves them out, generated string literals escape them (`\u{202e}`)
        W0009 TextDirection { place: Place, chars: Vec<(Span, char)> },
        /// `0X2A` or `2E10`: spec §1 has only the lowercase `0x` and `e`; the help writes the literal in lower case
        E0010 UppercaseLetter { span: Span, message: &'static str, letter: char, fixed: String },
        /// a carriage return not followed by a line feed in a comment or string literal; generated documentation has a space in its place, generated string literals escape it (`\r`)
        W0011 LoneCarriageReturn { place: Place, spans: Vec<Span> },
    }
}

/// Where an invisible character is (W0009, W0011).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// In a comment: documentation generated from it drops the character.
    Comment,
    /// In a string literal: generated code escapes it.
    String,
}

/// A stray `*/` (E0006): `nested` is the `/*` inside the block comment
/// before it and the `*/` that closed that comment, when there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrayEnd {
    /// The inner `/*` and the `*/` that ended the comment.
    pub nested: Option<(Span, Span)>,
}

crate::diagnostics! {
    /// Syntax errors (spec §2).
    #[phase = "Syntax", location = "gslang-syntax::parser, gslang-syntax/src/gslang.lalrpop"]
    pub enum SyntaxError {
        /// an unexpected token; the message names what was expected
        E0100 Unexpected { message: String, primary: Label, unexpected: Option<Span>, help: Option<String> },
        /// the file ends in the middle of something
        E0101 UnexpectedEof { message: String, primary: Label, help: Option<String> },
        /// more than 100 syntax errors in one file: the rest are counted (robustness test)
        E0102 TooManyErrors { span: Span, more: usize, max: usize },
        /// an enum base that is not `byte sbyte int16 uint16 int32 uint32`; the message names it, the note lists the allowed ones
        E0103 BadEnumBase { written: String, span: Span, label: &'static str, allowed: String, help: Option<&'static str> },
        /// positional and named annotation arguments mixed
        E0104 MixedArguments { span: Span, positional: bool, first: Span },
        /// an import after a declaration or module annotation (the import is still loaded)
        E0105 MisplacedImport { span: Span, what: &'static str, first: Span },
        /// a field written type first, `int32 x;` (other IDLs' order); the help writes it `x int32;`. Only for types that cannot be read as a name (built-in, `[]…`, `[N]…`): `Foo x;` is a field `Foo` of type `x`
        E0106 TypeBeforeName { span: Span, name: String, name_span: Span, written: String },
        /// a file with syntax errors that starts with `package` or `using` (the original Go toolchain's 2015 dialect) or has `[Attr]` annotations (its 2014 dialect): the note names the dialect and `gsc migrate`
        N0107 OldDialect { span: Span, dialect: &'static str, marker: &'static str },
    }
}

/// The phases of this crate, for `DIAGNOSTICS.md`.
pub const PHASES: &[Phase] = &[LexError::PHASE, SyntaxError::PHASE];

/// The first 16 characters of `text`, invisible ones escaped.
fn escape_for_message(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(16) {
        if chars::is_invisible(c) {
            out.push_str(&chars::escape(c));
        } else {
            out.push(c);
        }
    }
    if text.chars().nth(16).is_some() {
        out.push('…');
    }
    out
}

fn direction_name(c: char) -> &'static str {
    match c {
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{061c}' => "Arabic letter mark",
        _ => "text-direction control",
    }
}

impl From<LexError> for Diagnostic {
    fn from(e: LexError) -> Diagnostic {
        let code = e.code();
        match e {
            LexError::InvalidUtf8 { span, bytes } => Diagnostic::new(code, "invalid UTF-8", span)
                .with_label(if bytes == 1 {
                    "this byte is not valid UTF-8".to_owned()
                } else {
                    format!("these {bytes} bytes are not valid UTF-8")
                })
                .with_note("gslang source files must be UTF-8"),
            LexError::UnterminatedComment { span } => {
                Diagnostic::new(code, "unterminated block comment", span)
                    .with_label("comment starts here and is never closed")
                    .with_note("block comments do not nest; close it with `*/`")
            }
            LexError::UnterminatedString {
                span,
                line_end,
                quote,
            } => Diagnostic::new(code, "unterminated string literal", span)
                .with_label("string starts here")
                .with_secondary(line_end, "line ends before the closing quote")
                .with_help(format!(
                    "add the closing `{quote}`; strings cannot span lines"
                )),
            LexError::BadEscape {
                span,
                message,
                label,
            } => Diagnostic::new(code, message, span)
                .with_label(label)
                .with_help(
                    "valid escapes are \\\\ \\\" \\' \\n \\r \\t \\0 and \\u{…} with 1 to 6 hex digits",
                ),
            LexError::NonAsciiIdent { text, span, bad } => Diagnostic::new(
                code,
                format!("identifier `{text}` contains non-ASCII characters"),
                span,
            )
            .with_label(format!("`{bad}` is not allowed here"))
            .with_note("identifiers are ASCII: letters, digits and `_`, not starting with a digit"),
            LexError::UnexpectedChars {
                text,
                span,
                help,
                stray_end,
            } => {
                let what = if text.chars().count() > 1 {
                    "characters"
                } else {
                    "character"
                };
                let mut diag = Diagnostic::new(
                    code,
                    format!("unexpected {what} `{}`", escape_for_message(&text)),
                    span,
                )
                .with_label("not valid in gslang");
                if let Some(help) = help {
                    diag = diag.with_help(help);
                }
                if let Some(stray) = stray_end {
                    diag = diag.with_label("no block comment is open here");
                    if let Some((inner, close)) = stray.nested {
                        diag = diag
                            .with_secondary(inner, "this `/*` does not open a nested comment")
                            .with_secondary(close, "so the comment ends at this `*/`")
                            .with_note("block comments do not nest");
                    }
                }
                diag
            }
            LexError::HexWithoutDigits { span } => {
                Diagnostic::new(code, "hexadecimal literal has no digits", span)
                    .with_label("expected hex digits after `0x`")
            }
            LexError::NestedTooDeep { span, level, max } => {
                Diagnostic::new(code, "brackets are nested too deeply", span)
                    .with_label(format!("nesting level {level} opens here"))
                    .with_note(format!(
                        "gslang allows at most {max} levels of `(`, `[` and `{{`; the rest of the file is not read"
                    ))
            }
            LexError::TextDirection { place, chars: found } => {
                let label = |c: char| format!("`{}` ({})", chars::escape(c), direction_name(c));
                let where_ = match place {
                    Place::Comment => "a comment",
                    Place::String => "a string literal",
                };
                let (first, c) = found.first().copied().unwrap_or_default();
                let one = found.len() == 1;
                let message = if one {
                    format!("text-direction control `{}` in {where_}", chars::escape(c))
                } else {
                    format!("{} text-direction controls in {where_}", found.len())
                };
                let mut diag = Diagnostic::new(code, message, first)
                    .with_label(label(c))
                    .with_note("text-direction controls are invisible and can make the text display differently from what it is");
                for &(at, c) in found.iter().skip(1) {
                    diag = diag.with_secondary(at, label(c));
                }
                let it = if one { "it" } else { "them" };
                match place {
                    Place::Comment => diag.with_note(format!(
                        "documentation generated from the comment leaves {it} out"
                    )),
                    Place::String if one => diag
                        .with_note("generated code writes it as an escape")
                        .with_help(format!(
                            "if it is meant, write it as the escape `{}`, so that it is visible",
                            chars::escape(c)
                        )),
                    Place::String => diag
                        .with_note("generated code writes them as escapes")
                        .with_help(format!(
                            "if they are meant, write them as escapes such as `{}`, so that they are visible",
                            chars::escape(c)
                        )),
                }
            }
            LexError::UppercaseLetter {
                span,
                message,
                letter,
                fixed,
            } => Diagnostic::new(code, message, span)
                .with_label(format!("write a lowercase `{letter}`"))
                .with_help(format!("write `{fixed}`")),
            LexError::LoneCarriageReturn { place, spans } => {
                let where_ = match place {
                    Place::Comment => "a comment",
                    Place::String => "a string literal",
                };
                let first = spans.first().copied().unwrap_or_default();
                let mut diag = Diagnostic::new(
                    code,
                    format!("carriage return in the middle of {where_}"),
                    first,
                )
                .with_label("`\\r` not followed by a line feed")
                .with_note("a carriage return on its own ends no line here, but can make the text display differently from what it is");
                for &at in spans.iter().skip(1) {
                    diag = diag.with_secondary(at, "another one");
                }
                match place {
                    Place::Comment => diag.with_note(
                        "documentation generated from the comment has a space in its place",
                    ),
                    Place::String => diag
                        .with_note("generated code writes it as the escape `\\r`")
                        .with_help("if it is meant, write it as the escape `\\r`"),
                }
            }
        }
    }
}

impl From<SyntaxError> for Diagnostic {
    fn from(e: SyntaxError) -> Diagnostic {
        let code = e.code();
        match e {
            SyntaxError::Unexpected {
                message,
                primary,
                unexpected,
                help,
            } => {
                let mut diag = Diagnostic::new(code, message, primary.span);
                diag.primary = primary;
                if let Some(at) = unexpected {
                    diag = diag.with_secondary(at, "unexpected token");
                }
                diag.with_help_opt(help)
            }
            SyntaxError::UnexpectedEof {
                message,
                primary,
                help,
            } => {
                let mut diag = Diagnostic::new(code, message, primary.span);
                diag.primary = primary;
                diag.with_help_opt(help)
            }
            SyntaxError::TooManyErrors { span, more, max } => Diagnostic::new(
                code,
                format!("{more} more syntax errors in this file"),
                span,
            )
            .with_note(format!(
                "only the first {max} syntax errors of a file are reported"
            )),
            SyntaxError::BadEnumBase {
                written,
                span,
                label,
                allowed,
                help,
            } => Diagnostic::new(
                code,
                format!("`{written}` is not allowed as an enum base"),
                span,
            )
            .with_label(label)
            .with_note(format!("the allowed bases are {allowed}"))
            .with_help_opt(help.map(str::to_owned)),
            SyntaxError::MixedArguments {
                span,
                positional,
                first,
            } => {
                let kind = |positional: bool| {
                    if positional {
                        "positional argument"
                    } else {
                        "named argument"
                    }
                };
                Diagnostic::new(code, "positional and named arguments cannot be mixed", span)
                    .with_label(kind(positional))
                    .with_secondary(first, kind(!positional))
                    .with_help(
                        "write every argument as `Field: value`, or every argument by position",
                    )
            }
            SyntaxError::MisplacedImport { span, what, first } => {
                Diagnostic::new(code, "imports must come before all declarations", span)
                    .with_label(format!("this import comes after a {what}"))
                    .with_secondary(first, format!("first {what} here"))
                    .with_help("move the import to the top of the file")
            }
            SyntaxError::TypeBeforeName {
                span,
                name,
                name_span,
                written,
            } => Diagnostic::new(code, "the type of a field comes after its name", span)
                .with_label("type before the field name")
                .with_secondary(name_span, "the field name")
                .with_help(format!("write `{name} {written};`")),
            SyntaxError::OldDialect {
                span,
                dialect,
                marker,
            } => Diagnostic::new(
                code,
                format!("this file seems to be written in the {dialect} dialect of the original gslang toolchain"),
                span,
            )
            .with_label(format!("{marker} is of the {dialect} dialect"))
            .with_help("`gsc migrate FILE` converts it to the current language"),
        }
    }
}
