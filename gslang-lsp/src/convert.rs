//! Conversions between the protocol's coordinates and the front end's:
//! LSP positions (line and character, in UTF-16 code units unless the
//! client chose UTF-8) to byte offsets and back, and `file:` URIs to paths.
//!
//! Every conversion is total: a position past the end of a line or of the
//! file is clamped, a position inside a character is moved to its start,
//! and a URI that is not a `file:` URI has no path.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use gslang_syntax::{SourceFile, SourceMap, Span};
use lsp_types::{Location, Position, Range, Uri};

/// How the client counts characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// Bytes of UTF-8, when the client offers it.
    Utf8,
}

impl Encoding {
    fn len(self, c: char) -> u32 {
        match self {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf8 => c.len_utf8() as u32,
        }
    }
}

/// Whether the file on disk starts with a byte order mark, which the source
/// map dropped but an editor may count as a character of the first line.
fn bom(file: &SourceFile) -> bool {
    file.disk_offset(0) != 0
}

/// The position of byte `byte` of `file`'s text.
pub fn position(file: &SourceFile, byte: u32, enc: Encoding) -> Position {
    let byte = (byte as usize).min(file.text.len());
    let line = file.line_index(byte as u32);
    let start = file.line_range(line).map_or(0, |r| r.start);
    let mut character: u32 = file
        .text
        .get(start..byte)
        .map_or(0, |s| s.chars().map(|c| enc.len(c)).sum());
    if line == 0 && bom(file) {
        character += 1;
    }
    Position::new(line as u32, character)
}

/// The byte offset of `pos` in `file`'s text, clamped to the text.
pub fn offset(file: &SourceFile, pos: Position, enc: Encoding) -> u32 {
    let Some(range) = file.line_range(pos.line as usize) else {
        return file.text.len() as u32;
    };
    let line = &file.text[range.clone()];
    let line = line
        .strip_suffix('\n')
        .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
    let mut want = pos.character;
    if pos.line == 0 && bom(file) {
        want = want.saturating_sub(1);
    }
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= want {
            return (range.start + i) as u32;
        }
        units += enc.len(c);
        if units > want {
            // Inside a character (half of a surrogate pair): its start.
            return (range.start + i) as u32;
        }
    }
    (range.start + line.len()) as u32
}

/// The range of `span` in `file`.
pub fn range(file: &SourceFile, span: Span, enc: Encoding) -> Range {
    Range::new(
        position(file, span.start, enc),
        position(file, span.end, enc),
    )
}

/// The location of `span`, if its file has a path.
pub fn location(sources: &SourceMap, span: Span, enc: Encoding) -> Option<Location> {
    let file = sources.get(span.file)?;
    let uri = path_to_uri(file.path.as_deref()?)?;
    Some(Location::new(uri, range(file, span, enc)))
}

/// The path of a `file:` URI, percent-decoded.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // An authority other than empty or `localhost` names another machine.
    let slash = rest.find('/')?;
    let (host, path) = rest.split_at(slash);
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    let decoded = String::from_utf8(bytes).ok()?;
    // `file:///C:/dir` is `C:/dir` on Windows.
    if cfg!(windows) {
        let b = decoded.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    let text = text.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char);
            }
            // A drive letter's colon stays as editors write it.
            b':' => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Uri::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (SourceMap, gslang_syntax::FileId) {
        let mut sources = SourceMap::new();
        let id = sources.add("t.gs", None, text.as_bytes().to_vec()).unwrap();
        (sources, id)
    }

    #[test]
    fn utf16_positions_count_surrogate_pairs() {
        // `é` is one UTF-16 unit and two bytes; `😀` is two units and four bytes.
        let (sources, id) = file("// é😀\nX");
        let f = sources.file(id);
        let x = f.text.find('X').unwrap() as u32;
        assert_eq!(position(f, x, Encoding::Utf16), Position::new(1, 0));
        let end = f.text.find('\n').unwrap() as u32;
        assert_eq!(position(f, end, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(position(f, end, Encoding::Utf8), Position::new(0, 9));
        assert_eq!(offset(f, Position::new(0, 6), Encoding::Utf16), end);
        // Inside the surrogate pair: the start of the character.
        assert_eq!(offset(f, Position::new(0, 5), Encoding::Utf16), end - 4);
        // Past the end of the line and of the file: clamped.
        assert_eq!(offset(f, Position::new(0, 99), Encoding::Utf16), end);
        assert_eq!(
            offset(f, Position::new(9, 0), Encoding::Utf16),
            f.text.len() as u32
        );
    }

    #[test]
    fn a_byte_order_mark_is_a_character_of_the_first_line() {
        let (sources, id) = file("\u{feff}enum E { A }");
        let f = sources.file(id);
        assert_eq!(position(f, 0, Encoding::Utf16), Position::new(0, 1));
        assert_eq!(offset(f, Position::new(0, 1), Encoding::Utf16), 0);
    }

    #[test]
    fn uris_round_trip() {
        let path = if cfg!(windows) {
            "C:\\a b\\é.gs"
        } else {
            "/a b/é#.gs"
        };
        let uri = path_to_uri(Path::new(path)).unwrap();
        assert_eq!(uri_to_path(&uri).unwrap(), PathBuf::from(path));
        assert!(uri_to_path(&Uri::from_str("untitled:Untitled-1").unwrap()).is_none());
    }
}
