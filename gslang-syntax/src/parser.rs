//! The parser: LALRPOP over the [`Lexer`], with error recovery.
//!
//! [`parse`] never fails: it returns the AST of everything it could make sense
//! of, and a diagnostic for every lexical and syntax error, in source order.

use std::convert::Infallible;

use lalrpop_util::{ErrorRecovery, ParseError};
use logos::Logos;

use crate::ast::{self, File};
use crate::diag::{Diagnostic, Label};
use crate::docs;
use crate::errors::{LexError, SyntaxError};
use crate::lexer::Lexer;
use crate::source::SourceFile;
use crate::span::{FileId, Ident, Span};
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
            LexError::InvalidUtf8 {
                span: Span::new(id, r.start as usize, r.end as usize),
                bytes: r.len(),
            }
            .into()
        })
        .collect();

    let parser = grammar::FileParser::new();
    let mut lexer = Lexer::new(id, src);
    let mut ctx = ParseCtx::new(id, src);
    let mut result = parser.parse(id, &mut ctx, &mut lexer);
    if result.is_err() {
        // The parser could not recover at the end of the file, inside some
        // brackets: parse again with the brackets closed there, so that the
        // items read so far are kept.
        lexer = Lexer::new(id, src).close_at_eof();
        ctx = ParseCtx::new(id, src);
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
    // Where parsing resumed after the previous syntax error.
    let mut previous: Option<usize> = None;
    let errors = std::mem::take(&mut ctx.errors);
    for rec in errors {
        let at = error_start(&rec.error);
        let after_an_item = file.items.first().is_some_and(|i| item_start(i) < at);
        // Where parsing resumed: after the last token recovery dropped, or
        // at the token of the error if it dropped none.
        let resumed = rec.dropped_tokens.last().map_or(at, |&(_, _, end)| end);
        let Some((diag, start, _)) =
            syntax_error(id, src, &lexer, rec.error, stopped, after_an_item)
        else {
            continue;
        };
        // A syntax error where a lexical error left the token stream short
        // (see `Lexer::echo_windows`), or at the first or second token after
        // recovery from another syntax error, on its line, is most likely an
        // echo of it: the lexer dropped characters the user meant as a token,
        // or recovery resumed mid-construct (`[x]byte;` resumes at `byte`).
        let window = lexer.echo_windows.partition_point(|w| w.start <= start);
        let dropped = lexer.dropped.partition_point(|r| r.end <= start);
        let after_lexical = (window > 0 && start < lexer.echo_windows[window - 1].end)
            || (dropped > 0
                && source.line_index(lexer.dropped[dropped - 1].end as u32)
                    == source.line_index(start as u32));
        let after_syntax =
            previous.is_some_and(|p| p <= start && at_most_one_token(&src[p..start]));
        if !after_lexical && !after_syntax {
            diagnostics.push(diag);
        }
        previous = Some(resumed);
    }
    diagnostics.append(&mut lexer.diagnostics);
    if ctx.overflow > 0 {
        diagnostics.push(
            SyntaxError::TooManyErrors {
                span: Span::new(id, src.len(), src.len()),
                more: ctx.overflow,
                max: MAX_SYNTAX_ERRORS,
            }
            .into(),
        );
    }
    diagnostics.append(&mut ctx.diags);
    if diagnostics
        .iter()
        .any(|d| matches!(d.code, "E0100" | "E0101"))
    {
        if let Some(note) = old_dialect(id, src) {
            diagnostics.push(note.into());
        }
    }
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));

    docs::attach(src, &lexer.comments, &mut file);
    Parsed { file, diagnostics }
}

/// The first sign that `src` is written in an old dialect of the original
/// toolchain: `package` or `using` as its first token (2015), or an `[Attr]`
/// annotation (2014): `[` and a name where an item, a field or a param
/// starts (in a type, `[` follows a name and is followed by `]` or a length).
fn old_dialect(id: FileId, src: &str) -> Option<SyntaxError> {
    let tokens = Token::lexer(src)
        .spanned()
        .filter(|(t, _)| !matches!(t, Ok(Token::LineComment | Token::BlockComment(_))));
    // The token before the previous one, and the previous one with its start.
    let mut before: Option<Token<'_>> = None;
    let mut previous: Option<(Token<'_>, usize)> = None;
    let mut first = true;
    for (token, range) in tokens {
        let Ok(token) = token else {
            before = None;
            previous = None;
            first = false;
            continue;
        };
        if first {
            first = false;
            if let Token::Ident(word @ ("package" | "using")) = token {
                return Some(SyntaxError::OldDialect {
                    span: Span::new(id, range.start, range.end),
                    dialect: "2015",
                    marker: if word == "package" {
                        "`package`"
                    } else {
                        "`using`"
                    },
                });
            }
        }
        let item_start = matches!(
            before,
            None | Some(
                Token::Semi
                    | Token::LBrace
                    | Token::RBrace
                    | Token::LParen
                    | Token::RParen
                    | Token::Comma
            )
        );
        if let (Some((Token::LBracket, start)), Token::Ident(_), true) =
            (previous, token, item_start)
        {
            return Some(SyntaxError::OldDialect {
                span: Span::new(id, start, range.end),
                dialect: "2014",
                marker: "an annotation in brackets",
            });
        }
        before = previous.map(|(t, _)| t);
        previous = Some((token, range.start));
    }
    None
}

/// Whether `text` is on one line and holds at most one token (comments aside).
fn at_most_one_token(text: &str) -> bool {
    !text.contains('\n')
        && Token::lexer(text)
            .filter(|t| !matches!(t, Ok(Token::LineComment | Token::BlockComment(_))))
            .nth(1)
            .is_none()
}

fn item_start(item: &ast::Item) -> usize {
    match item {
        ast::Item::ModuleAnnotation(a) => a.span.start as usize,
        ast::Item::Decl(d) => d.span.start as usize,
    }
}

fn error_start(error: &ParseError<usize, Token<'_>, Infallible>) -> usize {
    match error {
        ParseError::UnrecognizedToken { token: (l, ..), .. }
        | ParseError::ExtraToken { token: (l, ..) } => *l,
        ParseError::UnrecognizedEof { location, .. } | ParseError::InvalidToken { location } => {
            *location
        }
        ParseError::User { error } => match *error {},
    }
}

fn item_end(item: &ast::Item) -> usize {
    match item {
        ast::Item::ModuleAnnotation(a) => a.span.end as usize,
        ast::Item::Decl(d) => d.span.end as usize,
    }
}

/// State the grammar's actions share: recovered errors and extra diagnostics.
#[derive(Debug)]
pub struct ParseCtx<'src> {
    file: FileId,
    src: &'src str,
    errors: Vec<ErrorRecovery<usize, Token<'src>, Infallible>>,
    overflow: usize,
    diags: Vec<Diagnostic>,
}

/// A top-level statement, as the grammar reads it: imports are accepted
/// among the items so that a misplaced one is reported precisely.
#[derive(Debug)]
pub(crate) enum Top {
    /// `import …`: the keyword's span and the specs.
    Import(Span, Vec<ast::Import>),
    /// A module annotation or a declaration.
    Item(ast::Item),
    /// A syntax error, recovered from; the offset where the skipped text starts.
    Error(usize),
}

impl<'src> ParseCtx<'src> {
    fn new(file: FileId, src: &'src str) -> ParseCtx<'src> {
        ParseCtx {
            file,
            src,
            errors: Vec::new(),
            overflow: 0,
            diags: Vec::new(),
        }
    }

    /// Assembles the file, reporting imports that come after an item (E0105).
    /// They are kept, so that names from them still resolve.
    fn file(&mut self, tops: Vec<Top>) -> File {
        let mut file = File::default();
        // The first item: a declaration, a module annotation, or a broken
        // declaration that recovery skipped.
        let mut first: Option<(Span, &'static str)> = None;
        for top in tops {
            match top {
                Top::Import(keyword, specs) => {
                    if let Some((span, what)) = first {
                        self.diags.push(
                            SyntaxError::MisplacedImport {
                                span: keyword,
                                what,
                                first: span,
                            }
                            .into(),
                        );
                    }
                    file.imports.extend(specs);
                }
                Top::Item(item) => {
                    first.get_or_insert(match &item {
                        ast::Item::ModuleAnnotation(a) => (a.span, "module annotation"),
                        ast::Item::Decl(d) => (d.keyword_span, "declaration"),
                    });
                    file.items.push(item);
                }
                Top::Error(start) => {
                    if first.is_none() {
                        first = self.declaration_at(start).map(|span| (span, "declaration"));
                    }
                }
            }
        }
        file
    }

    /// The span of the token at `start`, if it starts a declaration.
    fn declaration_at(&self, start: usize) -> Option<Span> {
        let mut tokens = Token::lexer(self.src.get(start..)?).spanned();
        match tokens.next()? {
            (
                Ok(Token::Table | Token::Struct | Token::Enum | Token::Contract | Token::At),
                range,
            ) => Some(Span::new(self.file, start + range.start, start + range.end)),
            _ => None,
        }
    }

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
        let written = self
            .src
            .get(ty.span.range())
            .unwrap_or_default()
            .split_whitespace()
            .collect::<String>();
        let (label, help) = match (&ty.base, ty.dims.is_empty()) {
            (ast::TypeBase::Scalar(s, _), true) if s.is_integer() => (
                "64-bit integers cannot be enum bases",
                Some("the widest bases are `int32` and `uint32`"),
            ),
            (ast::TypeBase::Scalar(..), true) => ("not an integer type", None),
            (ast::TypeBase::Path(_), true) => ("enum bases are built-in integer types", None),
            _ => ("a list or array cannot be an enum base", None),
        };
        let bases: Vec<String> = ast::Scalar::enum_bases()
            .map(|s| format!("`{s}`"))
            .collect();
        let allowed = match bases.split_last() {
            Some((last, init)) => format!("{} and {last}", init.join(", ")),
            None => String::new(),
        };
        self.diags.push(
            SyntaxError::BadEnumBase {
                written,
                span: ty.span,
                label,
                allowed,
                help,
            }
            .into(),
        );
        None
    }

    /// Reports a field written type first (`int32 x;`), which the grammar
    /// accepts when the type cannot be read as a name.
    fn type_before_name(&mut self, ty: &ast::TypeExpr, name: &Ident) {
        let written: String = self
            .src
            .get(ty.span.range())
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        self.diags.push(
            SyntaxError::TypeBeforeName {
                span: ty.span,
                name: name.name.to_string(),
                name_span: name.span,
                written,
            }
            .into(),
        );
    }

    /// Checks that positional and named arguments are not mixed.
    fn check_args(&mut self, args: Vec<ast::Arg>) -> Vec<ast::Arg> {
        let named = args.iter().position(|a| a.name.is_some());
        let positional = args.iter().position(|a| a.name.is_none());
        if let (Some(n), Some(p)) = (named, positional) {
            let (first, second) = if n < p { (n, p) } else { (p, n) };
            self.diags.push(
                SyntaxError::MixedArguments {
                    span: args[second].span,
                    positional: second == p,
                    first: args[first].span,
                }
                .into(),
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

    pub(crate) use super::{ParseCtx, Top};

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
    const TYPE_STARTS: [&str; 3] = ["SCALAR", "\"[\"", "IDENT"];
    let is_type = TYPE_STARTS.iter().all(|t| expected.iter().any(|e| e == t));
    let mut out: Vec<String> = expected
        .iter()
        .filter(|e| !(is_type && TYPE_STARTS.contains(&e.as_str())))
        .map(|e| match e.as_str() {
            "IDENT" => "identifier".to_owned(),
            "INT" => "integer".to_owned(),
            "FLOAT" => "float".to_owned(),
            "STRING" => "string literal".to_owned(),
            "SCALAR" => "built-in type".to_owned(),
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

/// The end of the last token before `at`: whitespace, comments and the
/// characters the lexer dropped are skipped.
fn prev_token_end(src: &str, lexer: &Lexer<'_>, at: usize) -> usize {
    let mut end = at;
    loop {
        end = src[..end].trim_end().len();
        // A comment or dropped characters that `end` is in or just after.
        let comment = lexer
            .comments
            .partition_point(|c| (c.span.end as usize) < end);
        if let Some(c) = lexer
            .comments
            .get(comment)
            .filter(|c| (c.span.start as usize) < end)
        {
            end = c.span.start as usize;
            continue;
        }
        let dropped = lexer.dropped.partition_point(|r| r.end < end);
        if let Some(r) = lexer.dropped.get(dropped).filter(|r| r.start < end) {
            end = r.start;
            continue;
        }
        return end;
    }
}

fn syntax_error(
    id: FileId,
    src: &str,
    lexer: &Lexer<'_>,
    error: ParseError<usize, Token<'_>, Infallible>,
    stopped: bool,
    after_an_item: bool,
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
    let mut expected = expected;
    if after_an_item {
        // The grammar takes imports anywhere to report misplaced ones
        // (E0105); after an item, one is not what the user should write.
        expected.retain(|e| e != "\"import\"");
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
    let mut help = None;
    let mut unexpected = None;

    // A missing `;` (or `,`) is best shown right after the previous token.
    let prev_end = prev_token_end(src, lexer, start);
    let missing_separator = alternatives
        .iter()
        .find(|a| *a == "`;`" || *a == "`,`")
        .filter(|_| src[prev_end..start].contains('\n') || at_eof);
    let primary = match missing_separator {
        Some(sep) if prev_end > 0 => {
            if !at_eof {
                unexpected = Some(span);
            }
            if alternatives.len() == 1 {
                help = Some(format!("add {sep} here"));
            }
            Label::new(
                Span::new(id, prev_end, prev_end),
                format!("expected {wanted} after this"),
            )
        }
        _ => Label::new(
            span,
            if alternatives.is_empty() {
                "unexpected token".to_owned()
            } else {
                format!("expected {wanted}")
            },
        ),
    };
    if let Some(tok) = found.filter(|_| !at_eof) {
        if let Some(kw) = tok.keyword() {
            if expected.iter().any(|e| e == "IDENT") {
                help = Some(format!("`{kw}` is a keyword and cannot be used as a name"));
            }
        }
        if tok == Token::Import {
            help = Some("imports must come before all declarations".to_owned());
        }
    }
    let diag = if at_eof {
        SyntaxError::UnexpectedEof {
            message,
            primary,
            help,
        }
    } else {
        SyntaxError::Unexpected {
            message,
            primary,
            unexpected,
            help,
        }
    }
    .into();
    Some((diag, start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceMap;

    fn parse_str(src: &str) -> Parsed {
        let mut map = SourceMap::new();
        let id = map.add("x.gs", None, src.into()).unwrap();
        parse(id, map.file(id))
    }

    fn codes(parsed: &Parsed) -> Vec<&'static str> {
        parsed.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn enum_values_around_a_syntax_error_are_kept() {
        for (src, names) in [
            ("enum E { A(1) B(2) }", &["A", "B"][..]),
            ("enum E { A(1); }", &["A"]),
            ("enum E { A(1), B(, C }", &["A", "C"]),
            ("enum E { A B, C, }", &["A", "B", "C"]),
        ] {
            let parsed = parse_str(src);
            assert_eq!(codes(&parsed), ["E0100"], "{src}");
            let [ast::Item::Decl(decl)] = &parsed.file.items[..] else {
                panic!("one declaration in {src}");
            };
            let ast::DeclKind::Enum { values, .. } = &decl.kind else {
                panic!("an enum in {src}");
            };
            let parsed_names: Vec<&str> = values.iter().map(|v| v.name.name.as_str()).collect();
            assert_eq!(parsed_names, names, "{src}");
        }
    }

    #[test]
    fn misplaced_imports_are_reported_and_kept() {
        let parsed = parse_str("import \"a.gs\"\nstruct A ( }\nimport \"b.gs\"\nstruct B {}");
        assert_eq!(codes(&parsed), ["E0100", "E0105"]);
        let paths: Vec<&str> = parsed
            .file
            .imports
            .iter()
            .map(|i| i.path.value.as_str())
            .collect();
        assert_eq!(paths, ["a.gs", "b.gs"]);
        // After a syntax error that is not a declaration, an import is not misplaced.
        let parsed = parse_str("import \"a.gs\" 5\nimport \"b.gs\"\nstruct B {}");
        assert_eq!(codes(&parsed), ["E0100"]);
        assert_eq!(parsed.file.imports.len(), 2);
    }

    #[test]
    fn a_missing_separator_is_shown_after_the_last_token() {
        let src = "struct A {\n    X int32 // c\n    Y int32 $$\n    Z int32;\n}";
        let parsed = parse_str(src);
        let at: Vec<(&str, usize)> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.primary.span.start as usize))
            .collect();
        let after = |s: &str| src.find(s).unwrap() + s.len();
        assert_eq!(
            at,
            [
                ("E0100", after("X int32")),
                ("E0100", after("Y int32")),
                ("E0006", after("Y int32 ")),
            ]
        );
    }
}
