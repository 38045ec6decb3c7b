//! Attaches documentation comments to the items of a parsed file (spec §1).
//!
//! An item's documentation is, in order:
//! - the block of comments written directly above it (each on its own line,
//!   no blank line in between or before the item), or a block comment
//!   directly before it on its line (`A int32; /* of B */ B int32;`);
//! - the comments between its annotations and the item itself
//!   (`@Deprecated // why` or a comment on the lines in between);
//! - a comment that trails on its line, after the item or after the `{` that
//!   opens a declaration's body, unless the next item follows it on that
//!   line (then it is that item's).
//!
//! A comment block at the very top of the file that is followed by a blank
//! line documents the module.

use crate::ast::{Annotation, Docs, File, Item};
use crate::lexer::Comment;
use crate::span::Span;

/// Fills in the `docs` of every item of `file`.
pub fn attach(src: &str, comments: &[Comment], file: &mut File) {
    if comments.is_empty() {
        return;
    }
    let cx = Cx { src, comments };
    file.docs = cx.module_docs();
    for item in &mut file.items {
        let Item::Decl(decl) = item else { continue };
        let mut docs = cx.leading(decl.span);
        docs.extend(cx.between(&decl.annotations, decl.keyword_span.start));
        docs.extend(cx.trailing(decl.span.end));
        // A comment right after the `{` on the declaration's line.
        if let Some(brace) = src[decl.name.span.end as usize..decl.span.end as usize].find('{') {
            docs.extend(cx.trailing(decl.name.span.end + brace as u32 + 1));
        }
        decl.docs = Docs(docs);
        match &mut decl.kind {
            crate::ast::DeclKind::Table(fields) | crate::ast::DeclKind::Struct(fields) => {
                for f in fields {
                    f.docs = cx.docs(f.span, &f.annotations, f.name.span.start);
                }
            }
            crate::ast::DeclKind::Enum { values, .. } => {
                for v in values {
                    v.docs = cx.docs(v.span, &v.annotations, v.name.span.start);
                }
            }
            crate::ast::DeclKind::Contract { methods, .. } => {
                for m in methods {
                    m.docs = cx.docs(m.span, &m.annotations, m.name.span.start);
                    for p in m.params.iter_mut().chain(&mut m.returns) {
                        let start = p.name.as_ref().map_or(p.ty.span.start, |n| n.span.start);
                        p.docs = cx.docs(p.span, &p.annotations, start);
                    }
                }
            }
        }
    }
}

struct Cx<'a> {
    src: &'a str,
    comments: &'a [Comment],
}

impl Cx<'_> {
    /// The docs of a member whose annotations come before `start`.
    fn docs(&self, span: Span, annotations: &[Annotation], start: u32) -> Docs {
        let mut docs = self.leading(span);
        docs.extend(self.between(annotations, start));
        docs.extend(self.trailing(span.end));
        Docs(docs)
    }

    fn lines(&self, comments: &[Comment]) -> Vec<String> {
        comments
            .iter()
            .flat_map(|c| comment_lines(&self.src[c.span.range()], c.block))
            .collect()
    }

    /// The comment block directly above `span`, or a block comment directly
    /// before it on its line.
    fn leading(&self, span: Span) -> Vec<String> {
        let end = self.comments.partition_point(|c| c.span.end <= span.start);
        let mut next_start = span.start as usize;
        let mut first = end;
        while first > 0 {
            let c = &self.comments[first - 1];
            // `A int32; /* of B */ B int32;`: the comment is B's.
            let inline = c.block && first == end;
            if !(c.own_line || inline) {
                break;
            }
            let Some(newlines) = blank_gap(&self.src[c.span.end as usize..next_start]) else {
                break;
            };
            if newlines > 1 || (!c.own_line && newlines > 0) {
                break;
            }
            first -= 1;
            next_start = c.span.start as usize;
            if !c.own_line {
                break;
            }
        }
        self.lines(&self.comments[first..end])
    }

    /// The comments after the first annotation and before `start` (the
    /// keyword or name), outside the annotations.
    fn between(&self, annotations: &[Annotation], start: u32) -> Vec<String> {
        let Some(first) = annotations.first() else {
            return Vec::new();
        };
        let from = self
            .comments
            .partition_point(|c| c.span.start < first.span.start);
        let to = self.comments.partition_point(|c| c.span.end <= start);
        let inside = |c: &Comment| {
            annotations
                .iter()
                .any(|a| a.span.start <= c.span.start && c.span.end <= a.span.end)
        };
        let between: Vec<Comment> = self
            .comments
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .filter(|c| !inside(c))
            .copied()
            .collect();
        self.lines(&between)
    }

    /// A comment on the same line after `end`, with at most a `,` or `;`
    /// between, and no item after it on its line.
    fn trailing(&self, end: u32) -> Vec<String> {
        let idx = self.comments.partition_point(|c| c.span.start < end);
        let Some(c) = self.comments.get(idx) else {
            return Vec::new();
        };
        if c.own_line {
            return Vec::new();
        }
        // Only spaces, tabs and one separator between; the scan stops at the
        // first other byte, so that it costs no more than the gap.
        let gap = &self.src.as_bytes()[end as usize..];
        let mut separators = 0;
        let mut len = 0;
        for &b in gap {
            match b {
                b' ' | b'\t' => {}
                b',' | b';' => separators += 1,
                _ => break,
            }
            len += 1;
        }
        let ok = separators <= 1 && end as usize + len == c.span.start as usize;
        // What follows on the line must not be the next item: a comment
        // before it on its line is that item's.
        let rest = self.src[c.span.end as usize..].trim_start_matches([' ', '\t', '\r']);
        let next_item_follows = !(rest.is_empty()
            || rest.starts_with('\n')
            || rest.starts_with("//")
            || rest.starts_with("/*")
            || rest.starts_with([',', ';', '}', ')']));
        if ok && !next_item_follows {
            self.lines(std::slice::from_ref(c))
        } else {
            Vec::new()
        }
    }

    /// The block at the top of the file, when a blank line separates it from what follows.
    fn module_docs(&self) -> Docs {
        let Some(first) = self.comments.first() else {
            return Docs::default();
        };
        if !self.src[..first.span.start as usize].trim().is_empty() {
            return Docs::default();
        }
        let mut last = 0;
        while let Some(next) = self.comments.get(last + 1) {
            let gap = &self.src[self.comments[last].span.end as usize..next.span.start as usize];
            if gap.bytes().filter(|&b| b == b'\n').count() > 1 || !gap.trim().is_empty() {
                break;
            }
            last += 1;
        }
        let after = &self.src[self.comments[last].span.end as usize..];
        let gap_len = after.len() - after.trim_start().len();
        let blank_line_follows = after[..gap_len].bytes().filter(|&b| b == b'\n').count() > 1
            || after.trim_start().is_empty();
        if !blank_line_follows {
            return Docs::default();
        }
        Docs(
            self.comments[..=last]
                .iter()
                .flat_map(|c| comment_lines(&self.src[c.span.range()], c.block))
                .collect(),
        )
    }
}

/// The number of line breaks in `gap` if it is only whitespace with at most
/// one blank line; the scan stops at the first byte that rules it out, so
/// that it costs no more than the gap it accepts.
fn blank_gap(gap: &str) -> Option<usize> {
    let mut newlines = 0;
    for b in gap.bytes() {
        match b {
            b'\n' if newlines == 2 => return None,
            b'\n' => newlines += 1,
            b if b.is_ascii_whitespace() => {}
            _ => return None,
        }
    }
    Some(newlines)
}

/// The text lines of a comment, markers removed.
fn comment_lines(text: &str, block: bool) -> Vec<String> {
    if !block {
        let body = text.trim_start_matches('/');
        let body = body.strip_prefix(' ').unwrap_or(body);
        return vec![body.trim_end().to_owned()];
    }
    let body = text.strip_prefix("/*").unwrap_or(text);
    let body = body.strip_suffix("*/").unwrap_or(body);
    let body = body.trim_start_matches('*');
    let mut lines: Vec<String> = body
        .lines()
        .map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix('*').unwrap_or(line);
            let line = line.strip_prefix(' ').unwrap_or(line);
            line.trim_end().to_owned()
        })
        .collect();
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::comment_lines;

    #[test]
    fn comment_markers_are_removed() {
        assert_eq!(comment_lines("// hello ", false), vec!["hello"]);
        assert_eq!(comment_lines("/// hello", false), vec!["hello"]);
        assert_eq!(
            comment_lines("/**\n * one\n * two\n */", true),
            vec!["one", "two"]
        );
        assert_eq!(comment_lines("/* inline */", true), vec!["inline"]);
    }
}
