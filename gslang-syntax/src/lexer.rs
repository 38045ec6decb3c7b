//! The lexer the parser reads from: logos tokens, minus comments, with every
//! lexical error turned into a diagnostic and a recovered token.
//!
//! Guarantees:
//! - It never fails and never panics: bad input yields a diagnostic and either
//!   no token (a stray character) or the token the user most likely meant (an
//!   unterminated string is still a string).
//! - Comments are kept aside in source order with enough context for the doc
//!   attachment pass (the private `docs` module).
//! - Nesting of `(`, `[` and `{` deeper than [`MAX_NESTING`] stops the token
//!   stream with an error, so that no later phase recurses without bound.
//! - On request ([`Lexer::close_at_eof`]), brackets still open at the end of
//!   the file are closed by synthetic, zero-width tokens at the end, so that
//!   the parser can finish the items it was in instead of losing them.

use std::convert::Infallible;
use std::ops::Range;

use logos::Logos;

use crate::chars;
use crate::diag::Diagnostic;
use crate::errors::{LexError, Place, StrayEnd};
use crate::span::{FileId, Span};
use crate::token::Token;

/// The deepest nesting of brackets the lexer lets through.
pub const MAX_NESTING: usize = 128;

/// A comment, kept aside for documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, delimiters included.
    pub span: Span,
    /// Whether the comment is the first thing on its line.
    pub own_line: bool,
    /// `/* */` rather than `//`.
    pub block: bool,
}

/// A token as the LALRPOP parser consumes it: start offset, token, end offset.
pub type Spanned<'src> = Result<(usize, Token<'src>, usize), Infallible>;

/// The lexer. Iterate it for tokens; afterwards, take its comments and diagnostics.
#[derive(Debug)]
pub struct Lexer<'src> {
    file: FileId,
    src: &'src str,
    inner: logos::Lexer<'src, Token<'src>>,
    /// Comments in source order.
    pub comments: Vec<Comment>,
    /// Lexical errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Where a syntax error is most likely the echo of a lexical error that
    /// left the token stream short, ascending and disjoint: after an
    /// unterminated string, which took the rest of its line, up to the next
    /// token. (After dropped characters, the rest of their line is such a
    /// window too: see [`dropped`](Self::dropped).) Lexical errors after
    /// which the token is whole (a bad escape, a non-ASCII identifier, `0x`)
    /// have none: errors after them are real.
    pub echo_windows: Vec<Range<usize>>,
    /// The ranges of the characters that start no token, ascending. A syntax
    /// error after them on their line is taken for their echo (`Kind = 5;`:
    /// the error at `5`).
    pub dropped: Vec<Range<usize>>,
    /// The end of an unterminated string whose echo window waits for the next token.
    pending_string_end: Option<usize>,
    /// The start of the block comment a stray `*/` was last explained by.
    explained_comment: Option<u32>,
    last_end: usize,
    open: Vec<Token<'src>>,
    close_at_eof: bool,
    stopped: bool,
    pending_unexpected: Option<(usize, usize)>,
}

impl<'src> Lexer<'src> {
    /// A lexer over `src`, the text of `file`.
    pub fn new(file: FileId, src: &'src str) -> Lexer<'src> {
        Lexer {
            file,
            src,
            inner: Token::lexer(src),
            comments: Vec::new(),
            diagnostics: Vec::new(),
            echo_windows: Vec::new(),
            dropped: Vec::new(),
            pending_string_end: None,
            explained_comment: None,
            last_end: 0,
            open: Vec::new(),
            close_at_eof: false,
            stopped: false,
            pending_unexpected: None,
        }
    }

    /// Closes the brackets still open at the end of the file with synthetic tokens.
    pub fn close_at_eof(mut self) -> Self {
        self.close_at_eof = true;
        self
    }

    /// Whether the token stream was cut short (nesting too deep).
    pub fn stopped_early(&self) -> bool {
        self.stopped
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn flush_unexpected(&mut self) {
        if let Some((start, end)) = self.pending_unexpected.take() {
            let text = &self.src[start..end];
            self.dropped.push(start..end);
            self.close_string_window(start);
            let stray_end = (text.starts_with('*')
                && text.trim_start_matches('*').starts_with('/'))
            .then(|| self.stray_comment_end(end));
            self.report(LexError::UnexpectedChars {
                text: text.to_owned(),
                span: self.span(start, end),
                help: unexpected_char_help(text),
                stray_end,
            });
        }
    }

    fn report(&mut self, error: LexError) {
        self.diagnostics.push(error.into());
    }

    /// Explains a stray `*/`. After a block comment with a `/*` inside, it
    /// most likely closes what the user meant as a nested comment: block
    /// comments do not nest, so the first `*/` ended the comment, and
    /// syntax errors in the text between are echoes.
    fn stray_comment_end(&mut self, end: usize) -> StrayEnd {
        let alone = StrayEnd { nested: None };
        // The nearest block comment, among the last few comments, unless an
        // earlier stray `*/` was already explained by it.
        let Some(comment) = self
            .comments
            .iter()
            .rev()
            .take(16)
            .find(|c| c.block)
            .copied()
        else {
            return alone;
        };
        if self.explained_comment == Some(comment.span.start) {
            return alone;
        }
        let (open, close) = (comment.span.start as usize, comment.span.end as usize);
        let Some(inner) = self.src[open + 2..close].find("/*").map(|i| open + 2 + i) else {
            return alone;
        };
        self.add_echo_window(close..end);
        self.explained_comment = Some(comment.span.start);
        StrayEnd {
            nested: Some((self.span(inner, inner + 2), self.span(close - 2, close))),
        }
    }

    /// Reports the uppercase `X` or `E` at `at` in the number `text` at
    /// `start` (spec §1 has only `0x` and `e`). The token is kept: its value
    /// reads the same.
    fn uppercase_letter(&mut self, start: usize, text: &str, at: usize, message: &'static str) {
        let letter = text.as_bytes()[at].to_ascii_lowercase() as char;
        let mut fixed = text.to_owned();
        fixed.replace_range(at..=at, &letter.to_string());
        self.report(LexError::UppercaseLetter {
            span: self.span(start + at, start + at + 1),
            message,
            letter,
            fixed,
        });
    }

    /// Ends the echo window of an unterminated string at the token at `next`.
    fn close_string_window(&mut self, next: usize) {
        if let Some(end) = self.pending_string_end.take() {
            self.add_echo_window(end..next + 1);
        }
    }

    /// Adds a window, merging it with those it overlaps; the windows stay
    /// ascending and disjoint. A window may start before the last one (the
    /// text between a comment and a stray `*/`).
    fn add_echo_window(&mut self, mut window: Range<usize>) {
        while let Some(last) = self.echo_windows.last() {
            if last.end < window.start {
                break;
            }
            window.start = window.start.min(last.start);
            window.end = window.end.max(last.end);
            self.echo_windows.pop();
        }
        self.echo_windows.push(window);
    }

    /// Extends an identifier over non-ASCII letters and digits that follow it,
    /// reporting them. Returns the new end.
    fn non_ascii_ident(&mut self, start: usize, mut end: usize) -> usize {
        let rest = &self.src[end..];
        let extra: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        if extra > 0 {
            self.inner.bump(extra);
            end += extra;
        }
        let text = &self.src[start..end];
        let bad: String = text.chars().filter(|c| !c.is_ascii()).take(3).collect();
        self.report(LexError::NonAsciiIdent {
            text: text.to_owned(),
            span: self.span(start, end),
            bad,
        });
        end
    }

    /// Warns about the characters of a comment or string literal at `start`
    /// that make it display differently from what it is: text-direction
    /// controls, and carriage returns that end no line.
    fn check_invisible(&mut self, start: usize, text: &str, what: Invisible) {
        let bytes = text.as_bytes();
        let mut direction = Vec::new();
        let mut lone_cr = Vec::new();
        for (i, c) in text.char_indices() {
            if chars::is_text_direction(c) {
                direction.push((i, c));
            } else if c == '\r' && i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                lone_cr.push(i);
            }
        }
        let place = match what {
            Invisible::Comment => Place::Comment,
            Invisible::String => Place::String,
        };
        if !direction.is_empty() {
            let chars = direction
                .into_iter()
                .map(|(i, c)| (self.span(start + i, start + i + c.len_utf8()), c))
                .collect();
            self.report(LexError::TextDirection { place, chars });
        }
        if !lone_cr.is_empty() {
            let spans = lone_cr
                .into_iter()
                .map(|i| self.span(start + i, start + i + 1))
                .collect();
            self.report(LexError::LoneCarriageReturn { place, spans });
        }
    }

    fn check_string(&mut self, start: usize, raw: &str) {
        self.check_invisible(start, raw, Invisible::String);
        let quote = raw.as_bytes()[0];
        let terminated = raw.len() >= 2 && raw.as_bytes()[raw.len() - 1] == quote && {
            // The closing quote must not be escaped: count the backslashes before it.
            let body = &raw.as_bytes()[1..raw.len() - 1];
            body.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
        };
        if !terminated {
            self.pending_string_end = Some(start + raw.len());
            self.report(LexError::UnterminatedString {
                span: self.span(start, start + 1),
                line_end: self.span(start + raw.len(), start + raw.len()),
                quote: quote as char,
            });
        }
        let inner_end = if terminated { raw.len() - 1 } else { raw.len() };
        let inner = &raw[1..inner_end];
        let file = self.file;
        let diags = &mut self.diagnostics;
        unescape(inner, |at, err| {
            let s = start + 1 + at.start;
            let e = start + 1 + at.end;
            diags.push(
                LexError::BadEscape {
                    span: Span::new(file, s, e),
                    message: err.message(),
                    label: err.label(),
                }
                .into(),
            );
        });
    }

    fn next_token(&mut self) -> Option<(usize, Token<'src>, usize)> {
        loop {
            let tok = self.inner.next()?;
            let range = self.inner.span();
            let (start, mut end) = (range.start, range.end);
            match tok {
                Err(_) => {
                    let c = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                    if c.is_alphanumeric() {
                        self.flush_unexpected();
                        self.close_string_window(start);
                        let end = self.non_ascii_ident(start, end);
                        self.last_end = end;
                        return Some((start, Token::Ident(&self.src[start..end]), end));
                    }
                    match &mut self.pending_unexpected {
                        Some((_, pend)) if *pend == start => *pend = end,
                        _ => {
                            self.flush_unexpected();
                            self.pending_unexpected = Some((start, end));
                        }
                    }
                    continue;
                }
                Ok(tok) => {
                    if self.pending_unexpected.is_some() {
                        self.flush_unexpected();
                    }
                    if !matches!(tok, Token::LineComment | Token::BlockComment(_)) {
                        self.close_string_window(start);
                    }
                    // Only comments need to know whether they start their line:
                    // nothing but whitespace and comments before them on it.
                    let own_line = || {
                        self.src[self.last_end..start].contains('\n')
                            || self.last_end == 0
                            || self
                                .comments
                                .last()
                                .is_some_and(|c| c.own_line && c.span.end as usize == self.last_end)
                    };
                    match tok {
                        Token::LineComment => {
                            let own_line = own_line();
                            self.check_invisible(start, &self.src[start..end], Invisible::Comment);
                            self.comments.push(Comment {
                                span: self.span(start, end),
                                own_line,
                                block: false,
                            });
                            self.last_end = end;
                            continue;
                        }
                        Token::BlockComment(terminated) => {
                            let own_line = own_line();
                            if !terminated {
                                self.report(LexError::UnterminatedComment {
                                    span: self.span(start, start + 2),
                                });
                            }
                            self.check_invisible(start, &self.src[start..end], Invisible::Comment);
                            self.comments.push(Comment {
                                span: self.span(start, end),
                                own_line,
                                block: true,
                            });
                            self.last_end = end;
                            continue;
                        }
                        Token::Ident(_)
                            if self.src[end..]
                                .chars()
                                .next()
                                .is_some_and(|c| !c.is_ascii() && c.is_alphanumeric()) =>
                        {
                            end = self.non_ascii_ident(start, end);
                            self.last_end = end;
                            return Some((start, Token::Ident(&self.src[start..end]), end));
                        }
                        Token::Str(raw) => self.check_string(start, raw),
                        Token::Int(text)
                            if text.len() == 2 && text.as_bytes()[1] | 0x20 == b'x' =>
                        {
                            self.report(LexError::HexWithoutDigits {
                                span: self.span(start, end),
                            });
                        }
                        Token::Int(text) if text.starts_with("0X") => {
                            self.uppercase_letter(
                                start,
                                text,
                                1,
                                "hexadecimal literals start with `0x`, not `0X`",
                            );
                        }
                        Token::Float(text) if text.contains('E') => {
                            let at = text.find('E').unwrap_or(0);
                            self.uppercase_letter(
                                start,
                                text,
                                at,
                                "exponents are written with `e`, not `E`",
                            );
                        }
                        Token::LParen | Token::LBrace | Token::LBracket => {
                            self.open.push(tok);
                            if self.open.len() > MAX_NESTING {
                                self.report(LexError::NestedTooDeep {
                                    span: self.span(start, end),
                                    level: self.open.len(),
                                    max: MAX_NESTING,
                                });
                                self.stopped = true;
                                self.open.pop();
                                return None;
                            }
                        }
                        Token::RParen | Token::RBrace | Token::RBracket => {
                            let opener = match tok {
                                Token::RParen => Token::LParen,
                                Token::RBrace => Token::LBrace,
                                _ => Token::LBracket,
                            };
                            if let Some(at) = self.open.iter().rposition(|&t| t == opener) {
                                self.open.truncate(at);
                            }
                        }
                        _ => {}
                    }
                    self.last_end = end;
                    return Some((start, tok, end));
                }
            }
        }
    }
}

impl<'src> Iterator for Lexer<'src> {
    type Item = Spanned<'src>;

    fn next(&mut self) -> Option<Spanned<'src>> {
        if !self.stopped {
            if let Some(next) = self.next_token() {
                return Some(Ok(next));
            }
        }
        self.flush_unexpected();
        self.close_string_window(self.src.len());
        if !self.close_at_eof {
            return None;
        }
        // Close what is still open with zero-width tokens at the end of the file.
        let closer = match self.open.pop()? {
            Token::LParen => Token::RParen,
            Token::LBrace => Token::RBrace,
            _ => Token::RBracket,
        };
        let end = self.src.len();
        Some(Ok((end, closer, end)))
    }
}

/// Where [`Lexer::check_invisible`] looks.
#[derive(Clone, Copy)]
enum Invisible {
    Comment,
    String,
}

fn unexpected_char_help(text: &str) -> Option<String> {
    Some(match text.chars().next()? {
        '=' => "fields are written `Name type;`, enum values `Name(1)`".into(),
        '<' | '>' => "lists are written `[]T` and arrays `[N]T`".into(),
        '#' => "comments start with `//` or `/*`".into(),
        '`' => "strings are quoted with `\"` or `'`".into(),
        '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' => {
            "this is a typographic quote; use `\"` or `'`".into()
        }
        _ => return None,
    })
}

/// What is wrong with an escape sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EscapeError {
    /// `\q` and the like.
    Unknown(char),
    /// A backslash at the end of the literal.
    Lone,
    /// `\u` not followed by `{hex}` with 1 to 6 digits.
    MalformedUnicode,
    /// `\u{…}` naming a surrogate or a value above U+10FFFF.
    InvalidScalar(u32),
}

impl EscapeError {
    fn message(&self) -> String {
        match self {
            EscapeError::Unknown(c) => {
                format!(
                    "unknown escape `\\{}`",
                    c.escape_default().collect::<String>()
                )
            }
            EscapeError::Lone => "backslash at the end of a string".into(),
            EscapeError::MalformedUnicode => "malformed unicode escape".into(),
            EscapeError::InvalidScalar(v) => {
                format!("`\\u{{{v:X}}}` is not a Unicode scalar value")
            }
        }
    }

    fn label(&self) -> &'static str {
        match self {
            EscapeError::Unknown(_) | EscapeError::Lone => "unknown escape",
            EscapeError::MalformedUnicode => "expected `\\u{` then 1 to 6 hex digits then `}`",
            EscapeError::InvalidScalar(_) => {
                "surrogates and values above 10FFFF are not characters"
            }
        }
    }
}

/// Resolves the escapes of a string literal's body (quotes removed).
/// Each bad escape is reported with its byte range in `body` and skipped.
pub fn unescape(
    body: &str,
    mut on_error: impl FnMut(std::ops::Range<usize>, EscapeError),
) -> String {
    if !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((j, e)) = chars.next() else {
            on_error(i..i + 1, EscapeError::Lone);
            break;
        };
        match e {
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            'u' => {
                let rest = &body[j + 1..];
                let parsed = rest.strip_prefix('{').and_then(|r| {
                    let close = r.find('}')?;
                    let digits = &r[..close];
                    let ok = (1..=6).contains(&digits.len())
                        && digits.bytes().all(|b| b.is_ascii_hexdigit());
                    ok.then(|| {
                        (
                            u32::from_str_radix(digits, 16).unwrap_or(u32::MAX),
                            close + 2,
                        )
                    })
                });
                match parsed {
                    Some((value, len)) => {
                        let end = j + 1 + len;
                        match char::from_u32(value) {
                            Some(ch) => out.push(ch),
                            None => on_error(i..end, EscapeError::InvalidScalar(value)),
                        }
                        while chars.peek().is_some_and(|&(k, _)| k < end) {
                            chars.next();
                        }
                    }
                    None => {
                        // Skip a braced part, if any, so that it is not read as text.
                        let end = match rest.strip_prefix('{').and_then(|r| r.find('}')) {
                            Some(close) if close <= 8 => j + 1 + close + 2,
                            _ => j + 1,
                        };
                        on_error(i..end, EscapeError::MalformedUnicode);
                        while chars.peek().is_some_and(|&(k, _)| k < end) {
                            chars.next();
                        }
                    }
                }
            }
            other => on_error(i..j + other.len_utf8(), EscapeError::Unknown(other)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(src: &str) -> (Vec<Token<'_>>, Vec<Diagnostic>, Vec<Comment>) {
        let mut lexer = Lexer::new(FileId(0), src).close_at_eof();
        let toks = lexer
            .by_ref()
            .map(|t| t.map(|(_, t, _)| t))
            .collect::<Result<Vec<_>, _>>();
        let toks = toks.unwrap_or_default();
        (toks, lexer.diagnostics, lexer.comments)
    }

    #[test]
    fn tokens_and_comments() {
        let (toks, diags, comments) = lex("struct A { // c\n X int32; }");
        assert!(diags.is_empty());
        assert_eq!(toks.len(), 7);
        assert_eq!(comments.len(), 1);
        assert!(!comments[0].own_line);
    }

    #[test]
    fn stray_characters_are_merged() {
        let (toks, diags, _) = lex("a $$$ b");
        assert_eq!(toks, vec![Token::Ident("a"), Token::Ident("b")]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].message, "unexpected characters `$$$`");
    }

    #[test]
    fn non_ascii_identifier() {
        let (toks, diags, _) = lex("caf\u{e9} \u{e9}t\u{e9}");
        assert_eq!(
            toks,
            vec![Token::Ident("caf\u{e9}"), Token::Ident("\u{e9}t\u{e9}")]
        );
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn escapes() {
        let mut errs = Vec::new();
        let s = unescape(r"a\n\u{1F600}\q\u{D800}\u{}", |r, e| errs.push((r, e)));
        assert_eq!(s, "a\n\u{1F600}");
        assert_eq!(
            errs,
            vec![
                (12..14, EscapeError::Unknown('q')),
                (14..22, EscapeError::InvalidScalar(0xD800)),
                (22..26, EscapeError::MalformedUnicode),
            ]
        );
    }

    #[test]
    fn text_direction_controls_and_lone_carriage_returns_are_warned_about() {
        let (_, diags, _) = lex("// a\u{202E}b\u{2066}c\r\n/* x\ry */ \"s\u{200F}\" // crlf\r\n");
        let found: Vec<_> = diags
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.is_error(),
                    d.primary.span.start,
                    d.secondary.len(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("W0009", false, 4, 1),
                ("W0011", false, 18, 0),
                ("W0009", false, 26, 0)
            ]
        );
        // Escapes are visible: no warning.
        let (_, diags, _) = lex(r#""\u{202E}""#);
        assert!(diags.is_empty());
    }

    #[test]
    fn uppercase_hex_prefix_and_exponent() {
        let (toks, diags, _) = lex("0X2A 0x2A 2E10 1.5E-3 1.5e-3 0XFF");
        assert_eq!(toks.len(), 6);
        let found: Vec<_> = diags
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.primary.span.start,
                    d.help.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("E0010", 1, "write `0x2A`".to_owned()),
                ("E0010", 11, "write `2e10`".to_owned()),
                ("E0010", 18, "write `1.5e-3`".to_owned()),
                ("E0010", 30, "write `0xFF`".to_owned()),
            ]
        );
    }

    #[test]
    fn unterminated_things() {
        let (toks, diags, _) = lex("\"abc\nX /* never");
        assert_eq!(toks, vec![Token::Str("\"abc"), Token::Ident("X")]);
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].code, "E0003");
        assert_eq!(diags[1].code, "E0002");
    }

    #[test]
    fn open_brackets_are_closed_at_the_end() {
        let (toks, diags, _) = lex("struct A { X (");
        assert!(diags.is_empty());
        assert_eq!(&toks[5..], &[Token::RParen, Token::RBrace]);
    }

    #[test]
    fn deep_nesting_stops() {
        let src = "(".repeat(MAX_NESTING + 10);
        let (toks, diags, _) = lex(&src);
        // The openers that were let through, then as many synthetic closers.
        assert_eq!(toks.len(), 2 * MAX_NESTING);
        assert_eq!(diags.len(), 1);
    }
}
