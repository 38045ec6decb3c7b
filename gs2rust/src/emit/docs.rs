//! Schema comments as rustdoc that builds cleanly in the user's crate.
//!
//! Schema comments are written as plain text, not as Markdown for rustdoc.
//! Copied verbatim, some of them break the user's `cargo test` or
//! `cargo doc -D warnings`: an indented line becomes a doctest, `[Name]` an
//! intra-doc link that does not resolve, `List<T>` an unclosed HTML tag, a
//! bare URL a `rustdoc::bare_urls` warning. So, line by line:
//!
//! - code fences that rustdoc would test become ```` ```text ````: those
//!   without an info string, and those whose info string is only rustdoc
//!   attributes (`no_run`, `should_panic,ignore`, `edition2021`) or names
//!   `rust`; text inside any fence is left alone;
//! - a run of lines indented by four or more columns that Markdown would take
//!   as an indented code block (after a blank line, a heading, a thematic
//!   break or a closing fence) is fenced as ```` ```text ````;
//! - outside inline code (`` `…` ``): `[`, `]`, `<` and `\` are escaped, and
//!   `http://…` / `https://…` become autolinks `<…>`.
//!
//! And everywhere, fences included, the characters rustc rejects in doc
//! comments are removed: text-direction controls
//! (`text_direction_codepoint_in_comment`, the front end warns about them,
//! W0009) are dropped, and a carriage return that ends no line (W0011, "bare CR
//! not allowed in doc-comment") becomes a space.

use std::borrow::Cow;

use gslang_syntax::chars::is_text_direction;

/// The rustdoc lines for the doc comment lines of a schema item.
pub(crate) fn rustdoc_lines(docs: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(docs.len());
    // The closing marker of the fence we are in (```` ``` ```` or `~~~`).
    let mut fence: Option<String> = None;
    let mut in_indented = false;
    // Whether an indented line here starts a code block: it does after a
    // blank line and after a line that is a block of its own, but not in a
    // paragraph, where it is a continuation line.
    let mut block_start = true;
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
            block_start = fence.is_none();
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
            block_start = blank;
            continue;
        }
        if let Some((marker, info)) = fence_open(trimmed) {
            let info = info.trim();
            let info = if rustdoc_reads_as_other_language(info) {
                info
            } else {
                "text"
            };
            out.push(format!("{marker}{info}"));
            fence = Some(marker.to_owned());
            continue;
        }
        if !blank && indent >= 4 && block_start {
            out.push("```text".to_owned());
            out.push(line.to_owned());
            in_indented = true;
            continue;
        }
        out.push(escape_inline(line));
        block_start = blank || is_block_of_its_own(line);
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

/// Whether a line is a Markdown block by itself, after which an indented
/// line starts a code block: an ATX heading (`# Title`), a setext underline
/// (`===`, `---`) or a thematic break (`***`, `- - -`). Taking an empty
/// list item (`-`) for one too only fences a line that is text anyway.
fn is_block_of_its_own(line: &str) -> bool {
    if indentation(line) >= 4 {
        return false;
    }
    let t = line.trim();
    let hashes = t.len() - t.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with([' ', '\t'])) {
        return true;
    }
    let mut marks = t.chars().filter(|c| !matches!(c, ' ' | '\t'));
    match marks.next() {
        Some(c @ ('=' | '-' | '*' | '_')) => marks.all(|d| d == c),
        _ => false,
    }
}

/// Whether rustdoc takes a fence with this info string for a block of
/// another language, which it neither tests nor warns about: then the info
/// string is kept, else it becomes `text`.
///
/// This follows rustdoc's `LangString::parse`: a block is Rust unless some
/// token of the info string is unknown to rustdoc, and an explicit `rust`
/// makes it Rust whatever else is there; an attribute before the unknown
/// token (`no_run,json`) still makes it Rust. Info strings rustdoc would
/// warn about (attribute typos such as `compile-fail` or `rust2021`,
/// characters outside its syntax such as `{`, `.` or `=`) become `text` too.
fn rustdoc_reads_as_other_language(info: &str) -> bool {
    let separator = |c: char| matches!(c, ',' | ' ' | '\t');
    let bare = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | ':');
    if !info.chars().all(|c| separator(c) || bare(c)) {
        return false;
    }
    let (mut rust, mut other, mut custom) = (false, false, false);
    for token in info.split(separator).filter(|t| !t.is_empty()) {
        if !token.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return false;
        }
        let lower = token.to_lowercase();
        let edition = |s: &str| matches!(s, "2015" | "2018" | "2021" | "2024");
        match token {
            "should_panic" | "no_run" | "ignore" => rust = !other,
            _ if token.starts_with("ignore-") => rust = !other,
            "rust" => rust = true,
            "custom" => custom = true,
            "test_harness" | "compile_fail" | "standalone_crate" => rust = !other || rust,
            _ if token.starts_with("edition") => {}
            _ if token.strip_prefix("rust").is_some_and(edition) => return false,
            _ if token.len() == 5 && token.starts_with('E') => rust = !other || rust,
            _ if matches!(
                lower.as_str(),
                "compile-fail"
                    | "compile_fail"
                    | "compilefail"
                    | "should-panic"
                    | "should_panic"
                    | "shouldpanic"
                    | "no-run"
                    | "no_run"
                    | "norun"
                    | "test-harness"
                    | "test_harness"
                    | "testharness"
                    | "standalone"
                    | "standalone_crate"
                    | "standalone-crate"
            ) =>
            {
                return false;
            }
            _ => other = true,
        }
    }
    !info.trim().is_empty() && (custom || (other && !rust))
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
    fn fences_rustdoc_would_test_are_text() {
        let fence = |info: &str| doc(&[&format!("```{info}"), "x", "```"])[0].clone();
        for info in [
            "",
            "rust",
            "no_run",
            "should_panic,ignore",
            "compile_fail edition2021",
            "ignore-wasm32",
            "test_harness",
            "standalone_crate",
            "no_run,json",
            "json,rust",
            "E0308",
            "Compile-Fail",
            "rust2021",
            "{.json}",
            "c++",
            "json,",
        ] {
            let want = if info == "json," {
                "```json,"
            } else {
                "```text"
            };
            assert_eq!(fence(info), want, "info string {info:?}");
        }
        for info in [
            "json",
            "json,no_run",
            "text",
            "sh",
            "custom",
            "proto edition2018",
        ] {
            assert_eq!(fence(info), format!("```{info}"), "info string {info:?}");
        }
    }

    #[test]
    fn indented_lines_after_a_block_of_their_own_are_text() {
        for first in [
            "# Title",
            "## Title ##",
            "#",
            "***",
            "- - -",
            "===",
            "```",
            "~~~",
        ] {
            let mut lines = vec![first];
            if first == "```" || first == "~~~" {
                lines.extend(["code", first]);
            }
            lines.push("    indented");
            let out = doc(&lines);
            assert_eq!(
                &out[out.len() - 3..],
                ["```text", "    indented", "```"],
                "after {first:?}"
            );
        }
        // Not a heading: `#` without a space after it, or indented 4 columns.
        assert_eq!(doc(&["#5 is next", "    b"]), ["#5 is next", "    b"]);
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
