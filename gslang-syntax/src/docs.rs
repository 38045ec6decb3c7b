//! Attaches documentation comments to the items of a parsed file (spec §1).
//!
//! An item's documentation is the block of comments written directly above it
//! (each on its own line, no blank line in between or before the item), plus
//! a comment that trails on its own line: after the item, or after the `{`
//! that opens a declaration's body. A comment block at the very top of the
//! file that is followed by a blank line documents the module.

use crate::ast::{Docs, File, Item};
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
        docs.extend(cx.trailing(decl.span.end));
        // A comment right after the `{` on the declaration's line.
        if let Some(brace) = src[decl.name.span.end as usize..decl.span.end as usize].find('{') {
            docs.extend(cx.trailing(decl.name.span.end + brace as u32 + 1));
        }
        decl.docs = Docs(docs);
        match &mut decl.kind {
            crate::ast::DeclKind::Table(fields) | crate::ast::DeclKind::Struct(fields) => {
                for f in fields {
                    f.docs = cx.docs(f.span);
                }
            }
            crate::ast::DeclKind::Enum { values, .. } => {
                for v in values {
                    v.docs = cx.docs(v.span);
                }
            }
            crate::ast::DeclKind::Contract { methods, .. } => {
                for m in methods {
                    m.docs = cx.docs(m.span);
                    for p in m.params.iter_mut().chain(&mut m.returns) {
                        p.docs = cx.docs(p.span);
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
    fn docs(&self, span: Span) -> Docs {
        let mut docs = self.leading(span);
        docs.extend(self.trailing(span.end));
        Docs(docs)
    }

    /// The comment block directly above `span`.
    fn leading(&self, span: Span) -> Vec<String> {
        let mut idx = self.comments.partition_point(|c| c.span.end <= span.start);
        let mut next_start = span.start as usize;
        let mut first = idx;
        while idx > 0 {
            let c = &self.comments[idx - 1];
            let gap = &self.src[c.span.end as usize..next_start];
            let newlines = gap.bytes().filter(|&b| b == b'\n').count();
            if !c.own_line || newlines > 1 || !gap.bytes().all(|b| b.is_ascii_whitespace()) {
                break;
            }
            idx -= 1;
            first = idx;
            next_start = c.span.start as usize;
        }
        let end = self.comments.partition_point(|c| c.span.end <= span.start);
        self.comments[first..end]
            .iter()
            .flat_map(|c| comment_lines(&self.src[c.span.range()], c.block))
            .collect()
    }

    /// A comment on the same line after `end`, with at most a `,` or `;` between.
    fn trailing(&self, end: u32) -> Vec<String> {
        let idx = self.comments.partition_point(|c| c.span.start < end);
        let Some(c) = self.comments.get(idx) else {
            return Vec::new();
        };
        let gap = &self.src[end as usize..c.span.start as usize];
        let separators = gap.bytes().filter(|&b| b == b',' || b == b';').count();
        let ok = separators <= 1
            && gap
                .bytes()
                .all(|b| b == b' ' || b == b'\t' || b == b',' || b == b';');
        if ok && !c.own_line {
            comment_lines(&self.src[c.span.range()], c.block)
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
