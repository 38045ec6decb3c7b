//! The parser: LALRPOP over the [`Lexer`], with error recovery.
//!
//! [`parse`] never fails: it returns the AST of everything it could make sense
//! of, and a diagnostic for every lexical and syntax error, in source order.

use std::convert::Infallible;

use lalrpop_util::{ErrorRecovery, ParseError};

use crate::ast::{self, File};
use crate::diag::Diagnostic;
use crate::docs;
use crate::lexer::Lexer;
use crate::source::SourceFile;
use crate::span::{FileId, Span};
use crate::token::Token;

#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    unused_parens,
    missing_docs,
    missing_debug_implementations
)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/gslang.rs"));
}

/// Syntax errors beyond this many in one file are counted, not reported.
pub const MAX_SYNTAX_ERRORS: usize = 100;

/// The result of parsing one file.
#[derive(Debug)]
pub struct Parsed {
    /// The AST, with documentation attached.
    pub file: File,
    /// Lexical and syntax errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file of the source map.
pub fn parse(id: FileId, source: &SourceFile) -> Parsed {
    let src = source.text.as_str();
    let mut diagnostics: Vec<Diagnostic> = source
        .invalid_utf8
        .iter()
        .map(|r| {
            Diagnostic::error(
                "E0001",
                "invalid UTF-8",
                Span::new(id, r.start as usize, r.end as usize),
            )
            .with_label(if r.len() == 1 {
                "this byte is not valid UTF-8".to_owned()
            } else {
                format!("these {} bytes are not valid UTF-8", r.len())
            })
            .with_note("gslang source files must be UTF-8")
        })
        .collect();

    let parser = grammar::FileParser::new();
    let mut lexer = Lexer::new(id, src);
    let mut ctx = ParseCtx::default();
    let mut result = parser.parse(id, &mut ctx, &mut lexer);
    if result.is_err() {
        // The parser could not recover at the end of the file, inside some
        // brackets: parse again with the brackets closed there, so that the
        // items read so far are kept.
        lexer = Lexer::new(id, src).close_at_eof();
        ctx = ParseCtx::default();
        result = parser.parse(id, &mut ctx, &mut lexer);
    }
    let mut file = match result {
        Ok(file) => file,
        Err(err) => {
            ctx.recover(ErrorRecovery {
                error: err,
                dropped_tokens: Vec::new(),
            });
            File::default()
        }
    };
    if lexer.stopped_early() {
        // The item that was cut short is incomplete: leave it out.
        file.items.retain(|item| item_end(item) < src.len());
    }

    let stopped = lexer.stopped_early();
    let mut previous: Option<usize> = None;
    for rec in ctx.errors {
        let Some((diag, start, end)) = syntax_error(id, src, rec.error, stopped) else {
            continue;
        };
        // A syntax error on the line of a lexical error, or right after another
        // syntax error, is most likely an echo of it: the lexer dropped a
        // character the user meant as a token, or recovery resumed mid-construct.
        let same_line = |from: usize| {
            from <= start && {
                let gap = &src[from..start];
                !gap.contains('\n') || gap.trim().is_empty()
            }
        };
        let before = lexer.bad_token_ends.partition_point(|&end| end <= start);
        let after_lexical = before > 0 && same_line(lexer.bad_token_ends[before - 1]);
        let after_syntax = previous
            .is_some_and(|p| p <= start && src[p..start].bytes().all(|b| b == b' ' || b == b'\t'));
        if !after_lexical && !after_syntax {
            diagnostics.push(diag);
        }
        previous = Some(end);
    }
    diagnostics.append(&mut lexer.diagnostics);
    if ctx.overflow > 0 {
        diagnostics.push(
            Diagnostic::error(
                "E0102",
                format!("{} more syntax errors in this file", ctx.overflow),
                Span::new(id, src.len(), src.len()),
            )
            .with_note(format!(
                "only the first {MAX_SYNTAX_ERRORS} syntax errors of a file are reported"
            )),
        );
    }
    diagnostics.append(&mut ctx.diags);
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));

    docs::attach(src, &lexer.comments, &mut file);
    Parsed { file, diagnostics }
}

fn item_end(item: &ast::Item) -> usize {
    match item {
        ast::Item::ModuleAnnotation(a) => a.span.end as usize,
        ast::Item::Decl(d) => d.span.end as usize,
    }
}

/// State the grammar's actions share: recovered errors and extra diagnostics.
#[derive(Debug, Default)]
pub struct ParseCtx<'src> {
    errors: Vec<ErrorRecovery<usize, Token<'src>, Infallible>>,
    overflow: usize,
    diags: Vec<Diagnostic>,
}

impl<'src> ParseCtx<'src> {
    fn recover(&mut self, error: ErrorRecovery<usize, Token<'src>, Infallible>) {
        if self.errors.len() < MAX_SYNTAX_ERRORS {
            self.errors.push(error);
        } else {
            self.overflow += 1;
        }
    }

    /// Checks that an enum base is one of the integer types (the grammar accepts any type).
    fn enum_base(&mut self, ty: ast::TypeExpr) -> Option<(ast::Scalar, Span)> {
        if let (true, ast::TypeBase::Scalar(s, span)) = (ty.dims.is_empty(), &ty.base) {
            if s.is_enum_base() {
                return Some((*s, *span));
            }
        }
        self.diags.push(
            Diagnostic::error("E0103", "invalid enum base type", ty.span)
                .with_label("expected an integer type")
                .with_note("an enum is based on one of `byte`, `sbyte`, `int16`, `uint16`, `int32` or `uint32`"),
        );
        None
    }

    /// Checks that positional and named arguments are not mixed.
    fn check_args(&mut self, args: Vec<ast::Arg>) -> Vec<ast::Arg> {
        let named = args.iter().position(|a| a.name.is_some());
        let positional = args.iter().position(|a| a.name.is_none());
        if let (Some(n), Some(p)) = (named, positional) {
            let (first, second) = if n < p { (n, p) } else { (p, n) };
            self.diags.push(
                Diagnostic::error(
                    "E0104",
                    "positional and named arguments cannot be mixed",
                    args[second].span,
                )
                .with_label(if second == p {
                    "positional argument"
                } else {
                    "named argument"
                })
                .with_secondary(
                    args[first].span,
                    if first == p {
                        "positional argument"
                    } else {
                        "named argument"
                    },
                )
                .with_help("write every argument as `Field: value`, or every argument by position"),
            );
        }
        args
    }
}

/// Helpers the grammar's actions call.
pub(crate) mod helpers {
    use crate::ast::{Annotation, Decl, DeclKind, Docs};
    use crate::lexer::unescape;
    use crate::span::{Ident, Span};

    pub(crate) use super::ParseCtx;

    /// Assembles a declaration from its annotations and its parsed body.
    pub(crate) fn decl(
        annotations: Vec<Annotation>,
        (keyword_span, name, kind, end): (Span, Ident, DeclKind, usize),
    ) -> Decl {
        let start = annotations
            .first()
            .map_or(keyword_span.start, |a| a.span.start);
        Decl {
            annotations,
            docs: Docs::default(),
            name,
            kind,
            span: Span::new(keyword_span.file, start as usize, end),
            keyword_span,
        }
    }

    /// The value of a raw string literal; the lexer has reported its errors.
    pub(crate) fn string_value(raw: &str) -> String {
        let quote = raw.as_bytes().first().copied().unwrap_or(b'"');
        let body = raw.get(1..).unwrap_or("");
        let body = match body.strip_suffix(quote as char) {
            Some(inner) if !inner.ends_with('\\') || inner.ends_with("\\\\") => inner,
            _ => body,
        };
        unescape(body, |_, _| {})
    }
}

fn describe_expected(expected: &[String]) -> Vec<String> {
    const TYPE_STARTS: [&str; 14] = [
        "\"bool\"",
        "\"byte\"",
        "\"sbyte\"",
        "\"int16\"",
        "\"uint16\"",
        "\"int32\"",
        "\"uint32\"",
        "\"int64\"",
        "\"uint64\"",
        "\"float32\"",
        "\"float64\"",
        "\"string\"",
        "\"[\"",
        "IDENT",
    ];
    let is_type = TYPE_STARTS.iter().all(|t| expected.iter().any(|e| e == t));
    let mut out: Vec<String> = expected
        .iter()
        .filter(|e| !(is_type && TYPE_STARTS.contains(&e.as_str())))
        .map(|e| match e.as_str() {
            "IDENT" => "identifier".to_owned(),
            "INT" => "integer".to_owned(),
            "FLOAT" => "float".to_owned(),
            "STRING" => "string literal".to_owned(),
            quoted => format!("`{}`", quoted.trim_matches('"')),
        })
        .collect();
    if is_type {
        out.push("type".to_owned());
    }
    out
}

fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        [init @ .., last] => format!("one of {} or {last}", init.join(", ")),
    }
}

fn syntax_error(
    id: FileId,
    src: &str,
    error: ParseError<usize, Token<'_>, Infallible>,
    stopped: bool,
) -> Option<(Diagnostic, usize, usize)> {
    if stopped && matches!(error, ParseError::UnrecognizedEof { .. }) {
        // The lexer cut the file short and has said so.
        return None;
    }
    let (start, end, found, expected) = match error {
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => (l, r, Some(tok), expected),
        ParseError::UnrecognizedEof { location, expected } => (location, location, None, expected),
        ParseError::ExtraToken { token: (l, tok, r) } => (l, r, Some(tok), Vec::new()),
        ParseError::InvalidToken { location } => (location, location, None, Vec::new()),
        ParseError::User { error } => match error {},
    };
    // The end of the file, or one of the zero-width closers the lexer adds there.
    let at_eof = found.is_none() || (start == src.len() && start == end);
    if at_eof && stopped {
        // The lexer cut the file short and has said so.
        return None;
    }
    let alternatives = describe_expected(&expected);
    let wanted = join_alternatives(&alternatives);
    let found_text = match found {
        Some(tok) if !at_eof => tok.to_string(),
        _ => "end of file".to_owned(),
    };
    let message = if alternatives.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {wanted}, found {found_text}")
    };
    let span = Span::new(id, start, end);
    let mut diag = Diagnostic::error(if at_eof { "E0101" } else { "E0100" }, message, span);

    // A missing `;` (or `,`) is best shown right after the previous token.
    let prev_end = src[..start].trim_end().len();
    let missing_separator = alternatives
        .iter()
        .find(|a| *a == "`;`" || *a == "`,`")
        .filter(|_| src[prev_end..start].contains('\n') || at_eof);
    match missing_separator {
        Some(sep) if prev_end > 0 => {
            diag.primary = crate::diag::Label::new(
                Span::new(id, prev_end, prev_end),
                format!("expected {wanted} after this"),
            );
            if !at_eof {
                diag = diag.with_secondary(span, "unexpected token");
            }
            if alternatives.len() == 1 {
                diag = diag.with_help(format!("add {sep} here"));
            }
        }
        _ => {
            diag = diag.with_label(if alternatives.is_empty() {
                "unexpected token".to_owned()
            } else {
                format!("expected {wanted}")
            });
        }
    }
    if let Some(tok) = found.filter(|_| !at_eof) {
        if let Some(kw) = tok.keyword() {
            if expected.iter().any(|e| e == "IDENT") {
                diag = diag.with_help(format!("`{kw}` is a keyword and cannot be used as a name"));
            }
        }
        if tok == Token::Import {
            diag = diag.with_help("imports must come before all declarations");
        }
    }
    Some((diag, start, end))
}
