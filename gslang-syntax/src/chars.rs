//! Characters that do not show as what they are: control characters, and
//! Unicode format characters such as the text-direction controls.
//!
//! The lexer warns about text-direction controls in comments and strings
//! (they can make source text read differently from what it is, the
//! "Trojan Source" attack), and diagnostics show every such character
//! visibly, in messages and in source snippets.

/// The Unicode text-direction controls: the embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), which rustc's
/// `text_direction_codepoint_*` lints reject, and the implicit marks
/// (U+200E, U+200F, U+061C).
pub fn is_text_direction(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` is invisible or changes how the text around it displays:
/// control characters other than tab and line feed, the text-direction
/// controls, and the other format characters (zero-width spaces and joiners,
/// the byte order mark, the soft hyphen, …).
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || is_text_direction(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2028}'..='\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// How an invisible character is shown in a source snippet: a control
/// picture (`␀`, `␇`, `␍`) for the ASCII controls, `\u{…}` for the others.
pub fn visible_form(c: char) -> String {
    match c {
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32)
            .unwrap_or('\u{FFFD}')
            .to_string(),
        '\u{7F}' => "\u{2421}".to_owned(),
        _ => escape(c),
    }
}

/// `\u{202e}`: the escape messages use for an invisible character.
pub fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// `text` with every invisible character written as `\u{…}`, for messages.
pub fn escape_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(visible_form('\0'), "\u{2400}");
        assert_eq!(visible_form('\r'), "\u{240D}");
        assert_eq!(visible_form('\u{7F}'), "\u{2421}");
        assert_eq!(visible_form('\u{202E}'), "\\u{202e}");
        assert_eq!(
            escape_invisible("a\u{200B}b\tc\u{85}"),
            "a\\u{200b}b\tc\\u{85}"
        );
        assert!(!is_invisible('\u{e9}') && !is_invisible(' ') && !is_invisible('\n'));
    }
}
