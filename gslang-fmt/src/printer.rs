//! The printer: writes the tokens of the source in the order the layout
//! walks them, with the separators it asks for, and puts every comment of
//! the source back between the same two tokens.
//!
//! Guarantees:
//! - Every token is copied from the source as written (literals keep their
//!   spelling); the layout may only drop or add a separator comma, which
//!   `lib.rs` checks afterwards.
//! - Every comment is written, in order, between the tokens it was between.
//!   A comment that started its line still does (and keeps a blank line
//!   above it); one that followed a token on its line still follows it.
//!   A line comment still ends its line.
//! - Blank lines between things are kept (several become one), except at
//!   the start and end of the file, right after an opening bracket and
//!   right before a closing one.
//! - Trailing comments of consecutive lines at one indentation are aligned
//!   one space after the longest line, as gofmt does.

use std::mem;

use gslang_syntax::lexer::Comment;
use gslang_syntax::token::Token;

/// One level of indentation.
pub const INDENT: usize = 4;

/// What the layout asks for before a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sep {
    /// Nothing: the token follows the previous one directly (`;`, `(`).
    Glue,
    /// One space.
    Space,
    /// A new line (a blank line above it if the source has one).
    Line,
    /// A new line if the source has a line break before the token, else nothing.
    SoftGlue,
    /// A new line if the source has a line break before the token, else one space.
    SoftSpace,
}

/// One line of output.
#[derive(Debug, Default)]
struct Line {
    indent: usize,
    text: String,
    /// Whether a token was written on the line.
    has_code: bool,
    /// Where the comment that ends the line starts in `text`, if it follows a token.
    trailing: Option<usize>,
}

impl Line {
    /// The text before the trailing comment.
    fn code(&self) -> &str {
        match self.trailing {
            Some(at) => self.text[..at].trim_end(),
            None => &self.text,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Printer<'s> {
    src: &'s str,
    toks: Vec<(usize, Token<'s>, usize)>,
    next: usize,
    comments: &'s [Comment],
    next_comment: usize,
    /// The end of the last token taken from the source.
    tok_end: usize,
    /// The end of the last token or comment taken from the source.
    last_end: usize,
    lines: Vec<Line>,
    cur: Line,
    /// The last thing written on the current line is a comment.
    after_comment: bool,
    /// A line comment was written: the line must end before anything else.
    must_break: bool,
    /// The indentation level of new lines.
    pub indent: usize,
    /// The first place where the layout and the source disagreed (a bug).
    pub mismatch: Option<String>,
}

impl<'s> Printer<'s> {
    pub fn new(
        src: &'s str,
        toks: Vec<(usize, Token<'s>, usize)>,
        comments: &'s [Comment],
    ) -> Self {
        Printer {
            src,
            toks,
            next: 0,
            comments,
            next_comment: 0,
            tok_end: 0,
            last_end: 0,
            lines: Vec::new(),
            cur: Line::default(),
            after_comment: false,
            must_break: false,
            indent: 0,
            mismatch: None,
        }
    }

    /// The next token of the source, if any.
    pub fn peek(&self) -> Option<Token<'s>> {
        self.toks.get(self.next).map(|&(_, t, _)| t)
    }

    /// Whether the next token is of the kind of `want`.
    pub fn peek_is(&self, want: Token<'_>) -> bool {
        self.peek().is_some_and(|t| same_kind(t, want))
    }

    /// The start of the next token (the end of the source if there is none).
    pub fn next_start(&self) -> usize {
        self.toks
            .get(self.next)
            .map_or(self.src.len(), |&(s, _, _)| s)
    }

    /// Whether the source has a line break between the end of the last token
    /// and `to`.
    pub fn source_breaks_before(&self, to: usize) -> bool {
        self.src[self.tok_end..to.max(self.tok_end)].contains('\n')
    }

    /// Whether a comment not yet written starts before `pos`.
    pub fn comments_before(&self, pos: usize) -> bool {
        self.comments
            .get(self.next_comment)
            .is_some_and(|c| (c.span.start as usize) < pos)
    }

    /// Whether the source text in `range` has a line break.
    pub fn source_has_break(&self, start: usize, end: usize) -> bool {
        self.src.get(start..end).is_some_and(|s| s.contains('\n'))
    }

    /// Records a disagreement between the layout and the source.
    pub fn fail(&mut self, message: String) {
        if self.mismatch.is_none() {
            self.mismatch = Some(message);
        }
    }

    /// Writes the next token, which must be of the kind of `want`; returns its range.
    pub fn tok(&mut self, sep: Sep, want: Token<'_>) -> (usize, usize) {
        self.emit(sep, want, false, true)
    }

    /// Writes the next token, a closing bracket: comments before it stay
    /// inside the brackets, and no blank line goes before it.
    pub fn close(&mut self, sep: Sep, want: Token<'_>) -> (usize, usize) {
        self.emit(sep, want, true, true)
    }

    /// Takes the next token without writing it (a separator the style leaves
    /// out); the comments before it are written.
    pub fn skip(&mut self, want: Token<'_>) {
        self.emit(Sep::Glue, want, false, false);
    }

    /// Writes text that is not in the source (a separator the style adds).
    pub fn synth(&mut self, text: &str) {
        self.write_code(text, false);
    }

    fn emit(&mut self, sep: Sep, want: Token<'_>, closer: bool, write: bool) -> (usize, usize) {
        let Some(&(start, tok, end)) = self.toks.get(self.next) else {
            self.fail(format!("expected {want} at the end of the file"));
            return (self.src.len(), self.src.len());
        };
        if !same_kind(tok, want) {
            self.fail(format!("expected {want}, found {tok} at byte {start}"));
        }
        self.next += 1;
        let text = &self.src[start..end];
        let breaks = match sep {
            Sep::Line => true,
            Sep::SoftGlue | Sep::SoftSpace => self.source_breaks_before(start),
            Sep::Glue | Sep::Space => false,
        };
        if breaks && write {
            // A block comment right before the token on its line goes to the
            // token's line with it: it is the token's item's documentation.
            let upto = self.next_comment
                + self.comments[self.next_comment..]
                    .partition_point(|c| (c.span.start as usize) < start);
            let glued = (!closer && upto > self.next_comment)
                .then(|| upto - 1)
                .filter(|&i| {
                    let c = &self.comments[i];
                    c.block && !self.src[c.span.end as usize..start].contains('\n')
                });
            let flush_to = glued.map_or(start, |i| self.comments[i].span.start as usize);
            self.flush(flush_to, true);
            self.end_line();
            if !closer && self.src[self.last_end..flush_to].matches('\n').count() >= 2 {
                self.blank();
            }
            self.cur.indent = self.indent;
            if let Some(i) = glued {
                self.write_comment(i, false);
            }
            self.write_code(text, glued.is_some());
        } else {
            self.flush(start, false);
            if write {
                if self.must_break {
                    self.end_line();
                    self.cur.indent = self.indent + 1;
                }
                let space = matches!(sep, Sep::Space | Sep::SoftSpace)
                    || (self.after_comment
                        && !matches!(
                            tok,
                            Token::RParen | Token::RBracket | Token::Comma | Token::Semi
                        ));
                self.write_code(text, space);
            }
        }
        self.tok_end = end;
        self.last_end = end;
        (start, end)
    }

    /// Writes the comments that start before `upto`. `in_break`: the next
    /// token starts a line, so comments on lines of their own are at the
    /// current indentation (else one level deeper, as continuation lines).
    pub fn flush(&mut self, upto: usize, in_break: bool) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.span.start as usize >= upto {
                break;
            }
            let i = self.next_comment;
            let newlines = self.src[self.last_end..c.span.start as usize]
                .matches('\n')
                .count();
            if newlines == 0 && !self.must_break && !self.cur.text.is_empty() {
                let space = !self.cur.text.ends_with(['(', '[']);
                self.write_comment(i, space);
            } else {
                self.end_line();
                if newlines >= 2 {
                    self.blank();
                }
                self.cur.indent = self.indent + usize::from(!in_break);
                self.write_comment(i, false);
            }
        }
    }

    fn write_code(&mut self, text: &str, space: bool) {
        if !self.cur.text.is_empty() && space {
            self.cur.text.push(' ');
        }
        self.cur.text.push_str(text);
        self.cur.has_code = true;
        self.cur.trailing = None;
        self.after_comment = false;
    }

    fn write_comment(&mut self, i: usize, space: bool) {
        let c = self.comments[i];
        let text = self.comment_text(&c, || {
            self.column() + usize::from(space && !self.cur.text.is_empty())
        });
        if !self.cur.text.is_empty() {
            if space {
                self.cur.text.push(' ');
            }
            if self.cur.has_code && self.cur.trailing.is_none() {
                self.cur.trailing = Some(self.cur.text.len());
            }
        }
        self.cur.text.push_str(&text);
        self.must_break |= !c.block;
        self.after_comment = true;
        self.last_end = c.span.end as usize;
        self.next_comment = i + 1;
    }

    /// The column the next character of the current line is written at.
    fn column(&self) -> usize {
        match self.cur.text.rfind('\n') {
            Some(at) => self.cur.text[at + 1..].chars().count(),
            None => self.cur.indent * INDENT + self.cur.text.chars().count(),
        }
    }

    /// A comment as it is written at `column` (computed only for a block
    /// comment over several lines, since it costs the length of the line):
    /// trailing whitespace removed from each line, and the lines after the
    /// first of a block comment moved by as many columns as its start moved.
    fn comment_text(&self, c: &Comment, column: impl FnOnce() -> usize) -> String {
        let raw = &self.src[c.span.start as usize..c.span.end as usize];
        if !c.block {
            return raw.trim_end().to_owned();
        }
        if !raw.contains('\n') {
            return raw.to_owned();
        }
        let start = c.span.start as usize;
        let line_start = self.src[..start].rfind('\n').map_or(0, |at| at + 1);
        let delta = column() as isize - width(&self.src[line_start..start]) as isize;
        let mut out = String::with_capacity(raw.len());
        for (k, line) in raw.split('\n').enumerate() {
            if k == 0 {
                out.push_str(line.trim_end());
                continue;
            }
            out.push('\n');
            let body = line.trim_start_matches([' ', '\t']).trim_end();
            if body.is_empty() {
                continue;
            }
            let ws = width(&line[..line.len() - line.trim_start_matches([' ', '\t']).len()]);
            let n = (ws as isize + delta).max(0) as usize;
            out.extend(std::iter::repeat_n(' ', n));
            out.push_str(body);
        }
        out
    }

    pub fn end_line(&mut self) {
        if !self.cur.text.is_empty() {
            self.lines.push(mem::take(&mut self.cur));
        }
        self.must_break = false;
        self.after_comment = false;
    }

    /// A blank line, unless the output is empty, already ends with one, or
    /// ends with an opening bracket.
    fn blank(&mut self) {
        self.end_line();
        if let Some(last) = self.lines.last() {
            if !last.text.is_empty() && !last.code().ends_with(['{', '(']) {
                self.lines.push(Line::default());
            }
        }
    }

    /// Writes the comments after the last token, checks that every token was
    /// written, and returns the text.
    pub fn finish(mut self) -> Result<String, String> {
        self.indent = 0;
        self.flush(self.src.len(), true);
        self.end_line();
        if self.next < self.toks.len() {
            let (start, tok, _) = self.toks[self.next];
            self.fail(format!("{tok} at byte {start} was not written"));
        }
        if let Some(message) = self.mismatch {
            return Err(message);
        }
        Ok(render(&self.lines))
    }
}

/// Whether two tokens are of the same kind, whatever their text.
fn same_kind(a: Token<'_>, b: Token<'_>) -> bool {
    mem::discriminant(&a) == mem::discriminant(&b)
}

/// The width of leading text in columns, a tab counting as one indentation level.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if c == '\t' { INDENT } else { 1 })
        .sum()
}

/// The lines as text, with the trailing comments of runs of consecutive
/// lines at one indentation aligned.
fn render(lines: &[Line]) -> String {
    let alignable = |l: &Line| l.trailing.is_some() && !l.text.contains('\n');
    let mut columns = vec![None; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if !alignable(&lines[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < lines.len() && alignable(&lines[j]) && lines[j].indent == lines[i].indent {
            j += 1;
        }
        let column = (i..j)
            .map(|k| lines[k].code().chars().count())
            .max()
            .unwrap_or(0)
            + 1;
        for slot in &mut columns[i..j] {
            *slot = Some(column);
        }
        i = j;
    }
    let mut out = String::new();
    for (line, column) in lines.iter().zip(columns) {
        if !line.text.is_empty() {
            out.extend(std::iter::repeat_n(' ', line.indent * INDENT));
            match (column, line.trailing) {
                (Some(column), Some(at)) => {
                    let code = line.code();
                    out.push_str(code);
                    out.extend(std::iter::repeat_n(' ', column - code.chars().count()));
                    out.push_str(&line.text[at..]);
                }
                _ => out.push_str(&line.text),
            }
        }
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}
