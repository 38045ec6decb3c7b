//! Schema comments as rustdoc that builds cleanly in the user's crate.
//!
//! Schema comments are written as plain text, not as Markdown for rustdoc.
//! Copied verbatim, some of them break the user's `cargo test` or
//! `cargo doc -D warnings`: an indented line becomes a doctest, `[Name]` an
//! intra-doc link that does not resolve, `List<T>` an unclosed HTML tag, a
//! bare URL a `rustdoc::bare_urls` warning. So, line by line:
//!
//! - code fences without a language, or with `rust`, become ```` ```text ````;
//!   text inside any fence is left alone;
//! - a run of lines indented by four or more columns that Markdown would take
//!   as an indented code block is fenced as ```` ```text ````;
//! - outside inline code (`` `…` ``): `[`, `]`, `<` and `\` are escaped, and
//!   `http://…` / `https://…` become autolinks `<…>`.
//!
//! And everywhere, fences included, the characters rustc rejects in doc
//! comments are removed: text-direction controls
//! (`text_direction_codepoint_in_comment`, the front end warns about them,
//! W0009) are dropped, and a carriage return that ends no line ("bare CR
//! not allowed in doc-comment") becomes a space.

use std::borrow::Cow;

use gslang_syntax::chars::is_text_direction;

/// The rustdoc lines for the doc comment lines of a schema item.
pub(crate) fn rustdoc_lines(docs: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(docs.len());
    // The closing marker of the fence we are in (```` ``` ```` or `~~~`).
    let mut fence: Option<String> = None;
    let mut in_indented = false;
    let mut previous_blank = true;
    for line in docs {
        let line = &*without_invisible(line);
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed
                    .trim_matches(marker.as_bytes()[0] as char)
                    .is_empty()
            {
                fence = None;
            }
            out.push(line.to_owned());
            previous_blank = false;
            continue;
        }
        let indent = indentation(line);
        let blank = trimmed.is_empty();
        if in_indented && !blank && indent < 4 {
            close_indented(&mut out);
            in_indented = false;
        }
        if in_indented {
            out.push(line.to_owned());
            previous_blank = blank;
            continue;
        }
        if let Some((marker, info)) = fence_open(trimmed) {
            let info = info.trim();
            let info = if info.is_empty() || info.split([',', ' ']).any(|t| t == "rust") {
                "text"
            } else {
                info
            };
            out.push(format!("{marker}{info}"));
            fence = Some(marker.to_owned());
            previous_blank = false;
            continue;
        }
        if !blank && indent >= 4 && previous_blank {
            out.push("```text".to_owned());
            out.push(line.to_owned());
            in_indented = true;
            previous_blank = false;
            continue;
        }
        out.push(escape_inline(line));
        previous_blank = blank;
    }
    if in_indented {
        close_indented(&mut out);
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    out
}

/// The line without text-direction controls, carriage returns made spaces,
/// and without the trailing whitespace that leaves.
fn without_invisible(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| c == '\r' || is_text_direction(c)) {
        return Cow::Borrowed(line);
    }
    let plain: String = line
        .chars()
        .filter(|&c| !is_text_direction(c))
        .map(|c| if c == '\r' { ' ' } else { c })
        .collect();
    Cow::Owned(plain.trim_end().to_owned())
}

/// Closes the fence around an indented block, before its trailing blank
/// lines.
fn close_indented(out: &mut Vec<String>) {
    let blanks = out.iter().rev().take_while(|l| l.trim().is_empty()).count();
    out.insert(out.len() - blanks, "```".to_owned());
}

/// Columns of leading whitespace, a tab counting to the next multiple of 4.
fn indentation(line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 4 + 1) * 4,
            _ => break,
        }
    }
    col
}

/// A Markdown code fence opening: three or more backticks or tildes, then
/// the info string.
fn fence_open(trimmed: &str) -> Option<(&str, &str)> {
    let c = trimmed.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = trimmed.len() - trimmed.trim_start_matches(c).len();
    if n < 3 {
        return None;
    }
    let (marker, info) = trimmed.split_at(n);
    // A backtick fence's info string may not contain backticks.
    if c == '`' && info.contains('`') {
        return None;
    }
    Some((marker, info))
}

/// Escapes what rustdoc would read as links, HTML or escapes, outside inline
/// code.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        // Inline code: a run of backticks up to the same run, left alone.
        if c == '`' {
            let n = rest.len() - rest.trim_start_matches('`').len();
            let ticks = &rest[..n];
            if let Some(end) = rest[n..].find(ticks) {
                let len = n + end + n;
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
            out.push_str(ticks);
            rest = &rest[n..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`'))
                .unwrap_or(rest.len());
            // Sentence punctuation after a URL is not part of it.
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '\\') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rustdoc_lines;

    fn doc(lines: &[&str]) -> Vec<String> {
        rustdoc_lines(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn plain_text_is_unchanged() {
        let text = [
            "A player's position.",
            "",
            "Sent every tick; see the `Move` call.",
        ];
        assert_eq!(doc(&text), text);
    }

    #[test]
    fn links_html_and_urls_are_escaped_outside_code() {
        assert_eq!(
            doc(&[
                "See [Other], List<T> and https://example.com/x.",
                "`[kept]` and `<kept>`",
                r"A backslash stays one: C:\dir, \[x\]"
            ]),
            [
                r"See \[Other\], List\<T> and <https://example.com/x>.",
                "`[kept]` and `<kept>`",
                r"A backslash stays one: C:\\dir, \\\[x\\\]",
            ]
        );
    }

    #[test]
    fn indented_lines_become_a_text_block() {
        assert_eq!(
            doc(&[
                "Example:",
                "",
                "    let x = foo();",
                "      x",
                "",
                "After."
            ]),
            [
                "Example:",
                "",
                "```text",
                "    let x = foo();",
                "      x",
                "```",
                "",
                "After."
            ]
        );
        assert_eq!(
            doc(&["    at the end", ""]),
            ["```text", "    at the end", "```", ""]
        );
        // Not after a blank line: a lazy continuation, not code.
        assert_eq!(doc(&["A", "    b"]), ["A", "    b"]);
    }

    #[test]
    fn text_direction_controls_and_carriage_returns_are_removed() {
        assert_eq!(
            doc(&[
                "admins\u{202E} \u{2066}only\u{2069}\r",
                "a\rb",
                "```",
                "in\u{200F} a fence\r",
                "```"
            ]),
            ["admins only", "a b", "```text", "in a fence", "```"]
        );
    }

    #[test]
    fn fences_are_text_unless_another_language() {
        assert_eq!(
            doc(&[
                "```",
                "let [a] = b;",
                "```",
                "~~~rust",
                "x<y",
                "~~~",
                "```json",
                "{}",
                "```"
            ]),
            [
                "```text",
                "let [a] = b;",
                "```",
                "~~~text",
                "x<y",
                "~~~",
                "```json",
                "{}",
                "```"
            ]
        );
        // An unclosed fence is closed.
        assert_eq!(doc(&["```", "code"]), ["```text", "code", "```"]);
    }
}
