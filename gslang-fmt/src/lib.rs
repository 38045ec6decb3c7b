//! The canonical formatter of gslang schemas, behind `gsc fmt`.
//!
//! [`format_source`] parses a file and writes it again in one style
//! (described in the repository's `docs/style.md`, and in the header of
//! the private `layout` module). It works on the AST and on the
//! token and comment lists of the lexer: the AST gives the structure, and
//! every token is copied from the source as written, so literals keep their
//! spelling (`0x2A`, `'single'`, `1.5e-3`), and every comment goes back
//! between the tokens it was between.
//!
//! Guarantees:
//! - A file with lexical or syntax errors is not formatted: [`Error::Syntax`]
//!   carries its errors.
//! - Formatting keeps every token but the separator `,` after the last
//!   value of an enum (written in a multi-line body, left out in a one-line
//!   body), and every comment; it checks that it did before returning
//!   ([`Error::Internal`] otherwise: a bug, and nothing is written).
//! - It keeps what the semantic pass reads: documentation comments stay
//!   attached to the same items, so the checked model of the output is that
//!   of the input (the test suite checks this over every schema of the
//!   repository).
//! - It is idempotent: `format(format(x)) == format(x)`.
//!
//! ```
//! let out = gslang_fmt::format_str("enum Color{Red,Green,Blue}\nstruct P{X float32;}").unwrap();
//! assert_eq!(out, "enum Color { Red, Green, Blue }\nstruct P { X float32; }\n");
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod layout;
mod printer;

use gslang_syntax::lexer::{Comment, Lexer};
use gslang_syntax::token::Token;
use gslang_syntax::{Diagnostic, FileId, SourceFile, SourceMap};

pub use printer::INDENT;

/// Why a file was not formatted.
#[derive(Debug)]
pub enum Error {
    /// The file has lexical or syntax errors (these diagnostics); it is left as it is.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would have lost or changed a token or comment: a
    /// bug of the formatter, described by the message. Nothing should be written.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Syntax(diags) => write!(f, "the file has {} syntax errors", diags.len()),
            Error::Internal(message) => write!(f, "internal formatter error: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Formats file `id`, whose source is `source`.
pub fn format_source(id: FileId, source: &SourceFile) -> Result<String, Error> {
    let parsed = gslang_syntax::parse(id, source);
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(Error::Syntax(errors));
    }
    let src = source.text.as_str();
    let (tokens, comments) = lex(id, src);
    let mut printer = printer::Printer::new(src, tokens.clone(), &comments);
    layout::file(&mut printer, &parsed.file);
    let out = printer.finish().map_err(Error::Internal)?;
    verify(src, &tokens, &comments, &out).map_err(Error::Internal)?;
    Ok(out)
}

/// Formats a schema held in a string (named `<input>` in diagnostics).
pub fn format_str(text: &str) -> Result<String, Error> {
    let mut sources = SourceMap::new();
    let id = sources
        .add("<input>", None, text.as_bytes().to_vec())
        .map_err(|e| Error::Internal(format!("{e:?}")))?;
    format_source(id, sources.file(id))
}

type Tokens<'s> = Vec<(usize, Token<'s>, usize)>;

/// The tokens and comments of a text without lexical errors.
fn lex(id: FileId, src: &str) -> (Tokens<'_>, Vec<Comment>) {
    let mut lexer = Lexer::new(id, src);
    let tokens = lexer.by_ref().filter_map(Result::ok).collect();
    (tokens, lexer.comments)
}

/// Checks that `out` has the tokens of the source (but for a `,` before a
/// `}`) and its comments (but for whitespace at the ends of their lines),
/// and no syntax error.
fn verify(src: &str, tokens: &Tokens<'_>, comments: &[Comment], out: &str) -> Result<(), String> {
    let (out_tokens, out_comments) = lex(FileId(0), out);
    let significant = |text: &str, toks: &Tokens<'_>| -> Vec<String> {
        let mut v: Vec<String> = Vec::with_capacity(toks.len());
        for (i, &(s, t, e)) in toks.iter().enumerate() {
            let before_brace = toks.get(i + 1).is_some_and(|n| n.1 == Token::RBrace);
            if !(t == Token::Comma && before_brace) {
                v.push(text[s..e].to_owned());
            }
        }
        v
    };
    let (a, b) = (significant(src, tokens), significant(out, &out_tokens));
    if a != b {
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        return Err(format!(
            "the tokens changed at token {at}: `{}` became `{}`",
            a.get(at).map_or("<end>", String::as_str),
            b.get(at).map_or("<end>", String::as_str)
        ));
    }
    let normalized = |text: &str, cs: &[Comment]| -> Vec<String> {
        cs.iter()
            .map(|c| {
                text[c.span.start as usize..c.span.end as usize]
                    .split('\n')
                    .map(|l| l.trim_matches([' ', '\t', '\r']))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()
    };
    let (a, b) = (normalized(src, comments), normalized(out, &out_comments));
    if a != b {
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        return Err(format!(
            "comment {at} changed: {:?} became {:?}",
            a.get(at),
            b.get(at)
        ));
    }
    let mut sources = SourceMap::new();
    let id = sources
        .add("<formatted>", None, out.as_bytes().to_vec())
        .map_err(|e| format!("{e:?}"))?;
    let parsed = gslang_syntax::parse(id, sources.file(id));
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        return Err(format!("the output does not parse: {}", d.message));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::format_str;

    fn fmt(src: &str) -> String {
        match format_str(src) {
            Ok(out) => out,
            Err(e) => panic!("{e}: {e:?}"),
        }
    }

    #[test]
    fn one_line_bodies_stay_on_one_line() {
        assert_eq!(
            fmt("struct Point{X float32;Y float32;}"),
            "struct Point { X float32; Y float32; }\n"
        );
        assert_eq!(fmt("table Flag {\n}"), "table Flag {}\n");
        assert_eq!(fmt("enum E { A, B, }"), "enum E { A, B }\n");
    }

    #[test]
    fn multi_line_bodies_are_indented() {
        assert_eq!(
            fmt("struct A {\nX int32;\n  Y   []string ;}"),
            "struct A {\n    X int32;\n    Y []string;\n}\n"
        );
        assert_eq!(
            fmt("enum E {\n A(1), B(2) }"),
            "enum E {\n    A(1), B(2),\n}\n"
        );
    }

    #[test]
    fn trailing_comments_are_aligned() {
        assert_eq!(
            fmt("struct M {\n  Code Code; // type\n  Content []byte;   // data\n}\n"),
            "struct M {\n    Code Code;      // type\n    Content []byte; // data\n}\n"
        );
    }

    #[test]
    fn syntax_errors_are_not_formatted() {
        assert!(matches!(
            format_str("struct {"),
            Err(super::Error::Syntax(_))
        ));
    }
}
