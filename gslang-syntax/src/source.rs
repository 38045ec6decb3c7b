//! The source map: every file the front end has read, with its text and line table.
//!
//! Files are read as bytes. A leading UTF-8 byte order mark is dropped, as
//! protoc and rustc do: spans are offsets in the text after it, and
//! [`SourceFile::disk_offset`] gives the offset in the file on disk.
//! Invalid UTF-8 is not fatal: each bad byte is replaced by a space, so that
//! byte offsets stay those of the file, and the ranges are kept so that the
//! lexer can report them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::files::{Error as FilesError, Files};

use crate::chars;
use crate::span::{FileId, Span};

/// One source file.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics: the path as the user wrote it, or a
    /// pseudo-name such as `<gslang>` for embedded sources.
    pub name: String,
    /// The path the file was read from, if it came from the file system.
    pub path: Option<PathBuf>,
    /// The text, without a leading byte order mark, with invalid UTF-8 bytes
    /// replaced by spaces.
    pub text: String,
    /// Byte ranges of invalid UTF-8 sequences in `text`.
    pub invalid_utf8: Vec<Range<u32>>,
    line_starts: Vec<u32>,
    /// The length of the byte order mark the file started with (0 or 3).
    bom_len: u32,
    /// The text as diagnostics show it, if it has invisible characters.
    shown: Option<Shown>,
}

/// A text with its invisible characters replaced by visible forms
/// ([`chars::visible_form`]), and how offsets map into it.
#[derive(Debug)]
struct Shown {
    text: String,
    line_starts: Vec<u32>,
    /// For each replaced character, ascending: its range in the original
    /// text, and the range of its replacement in `text`.
    replaced: Vec<(Range<u32>, Range<u32>)>,
}

impl Shown {
    /// `None` if no character of `text` needs replacing.
    fn new(text: &str) -> Option<Shown> {
        // A CR before LF is a line ending; a lone CR is invisible.
        let needs = |(i, c): (usize, char)| {
            chars::is_invisible(c) && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
        };
        text.char_indices().find(|&ic| needs(ic))?;
        let mut shown = String::with_capacity(text.len() + 16);
        let mut replaced = Vec::new();
        for (i, c) in text.char_indices() {
            if needs((i, c)) {
                let start = shown.len() as u32;
                shown.push_str(&chars::visible_form(c));
                let orig = i as u32..(i + c.len_utf8()) as u32;
                replaced.push((orig, start..shown.len() as u32));
            } else {
                shown.push(c);
            }
        }
        Some(Shown {
            line_starts: line_starts(&shown),
            text: shown,
            replaced,
        })
    }

    fn offset(&self, byte: u32) -> u32 {
        let at = self
            .replaced
            .partition_point(|(orig, _)| orig.start <= byte);
        match at.checked_sub(1).map(|i| &self.replaced[i]) {
            None => byte,
            Some((orig, new)) if byte < orig.end => new.start,
            Some((orig, new)) => new.end + (byte - orig.end),
        }
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0u32];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i as u32 + 1),
    );
    starts
}

fn line_index(line_starts: &[u32], byte: u32) -> usize {
    match line_starts.binary_search(&byte) {
        Ok(line) => line,
        Err(next) => next.saturating_sub(1),
    }
}

fn line_range(line_starts: &[u32], text_len: usize, line: usize) -> Option<Range<usize>> {
    let start = *line_starts.get(line)? as usize;
    let end = line_starts
        .get(line + 1)
        .map_or(text_len, |&next| next as usize);
    Some(start..end)
}

impl SourceFile {
    /// The 0-based line index of a byte offset.
    pub fn line_index(&self, byte: u32) -> usize {
        line_index(&self.line_starts, byte)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, byte: u32) -> (usize, usize) {
        let line = self.line_index(byte);
        let start = self.line_starts[line] as usize;
        let end = (byte as usize).min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The byte range of a 0-based line, with its line terminator.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        line_range(&self.line_starts, self.text.len(), line)
    }

    /// The text as diagnostics show it: every invisible character (control
    /// characters other than tab and line endings, Unicode format
    /// characters) replaced by a visible form, `␀` or `\u{202e}`.
    pub fn shown_text(&self) -> &str {
        self.shown.as_ref().map_or(&self.text, |s| &s.text)
    }

    /// The offset in [`shown_text`](Self::shown_text) of byte `byte` of the text.
    pub fn shown_offset(&self, byte: u32) -> usize {
        self.shown.as_ref().map_or(byte, |s| s.offset(byte)) as usize
    }

    /// The line of a byte offset in [`shown_text`](Self::shown_text).
    pub fn shown_line_index(&self, byte: u32) -> usize {
        match &self.shown {
            Some(s) => line_index(&s.line_starts, byte),
            None => self.line_index(byte),
        }
    }

    /// The byte range of a line in [`shown_text`](Self::shown_text).
    pub fn shown_line_range(&self, line: usize) -> Option<Range<usize>> {
        match &self.shown {
            Some(s) => line_range(&s.line_starts, s.text.len(), line),
            None => self.line_range(line),
        }
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The offset in the file on disk of byte `byte` of [`text`](Self::text):
    /// they differ by the byte order mark, if the file had one.
    pub fn disk_offset(&self, byte: u32) -> u64 {
        u64::from(byte) + u64::from(self.bom_len)
    }

    /// The text covered by `span`.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// The UTF-8 encoding of U+FEFF, the byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Files larger than this are rejected: spans hold 32-bit offsets.
pub const MAX_FILE_SIZE: usize = u32::MAX as usize - 1;

/// All the source files of one compilation.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

/// A file could not be added to the source map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTooLarge {
    /// The size of the rejected file in bytes.
    pub size: usize,
}

impl SourceMap {
    /// An empty source map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file from its raw bytes. A leading byte order mark is dropped;
    /// invalid UTF-8 is recorded, not rejected.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        path: Option<&Path>,
        mut bytes: Vec<u8>,
    ) -> Result<FileId, FileTooLarge> {
        if bytes.len() > MAX_FILE_SIZE {
            return Err(FileTooLarge { size: bytes.len() });
        }
        let bom_len = if bytes.starts_with(BOM) {
            bytes.drain(..BOM.len());
            BOM.len() as u32
        } else {
            0
        };
        let (text, invalid_utf8) = sanitize_utf8(bytes);
        let line_starts = line_starts(&text);
        let shown = Shown::new(&text);
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            name: name.into(),
            path: path.map(Path::to_path_buf),
            text,
            invalid_utf8,
            line_starts,
            bom_len,
            shown,
        });
        Ok(id)
    }

    /// The file with this id.
    ///
    /// # Panics
    /// If the id does not come from this source map.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    /// The file with this id, if it exists.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.index())
    }

    /// Every file with its id, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Moves every file of `other` to the end of this map, so that one map
    /// holds the files of two analyses (`gsc compat` renders diagnostics
    /// with spans in both). Returns how much the ids of `other`'s files grew:
    /// its `FileId(i)` is `FileId(i + offset)` here.
    pub fn append(&mut self, other: SourceMap) -> u32 {
        let offset = self.files.len() as u32;
        self.files.extend(other.files);
        offset
    }
}

/// Converts bytes to a `String`, replacing each byte of an invalid UTF-8
/// sequence by a space so that offsets are preserved.
fn sanitize_utf8(bytes: Vec<u8>) -> (String, Vec<Range<u32>>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new()),
        Err(err) => {
            let mut bytes = err.into_bytes();
            let mut invalid = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                match std::str::from_utf8(&bytes[at..]) {
                    Ok(_) => break,
                    Err(e) => {
                        let start = at + e.valid_up_to();
                        let len = e.error_len().unwrap_or(bytes.len() - start);
                        bytes[start..start + len].fill(b' ');
                        match invalid.last_mut() {
                            Some(Range { end, .. }) if *end == start as u32 => {
                                *end = (start + len) as u32;
                            }
                            _ => invalid.push(start as u32..(start + len) as u32),
                        }
                        at = start + len;
                    }
                }
            }
            // Every invalid byte is now an ASCII space, so the bytes are valid UTF-8.
            let text = String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            (text, invalid)
        }
    }
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).ok_or(FilesError::FileMissing)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .line_index(byte_index as u32))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id).ok_or(FilesError::FileMissing)?;
        file.line_range(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: file.line_starts.len() - 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_replaced_in_place() {
        let mut map = SourceMap::new();
        let id = map.add("x.gs", None, b"ab\xffc\xe2\x82".to_vec()).unwrap();
        let file = map.file(id);
        assert_eq!(file.text, "ab c  ");
        assert_eq!(file.invalid_utf8, vec![2..3, 4..6]);
    }

    #[test]
    fn appended_files_keep_their_text_and_shift_their_ids() {
        let mut a = SourceMap::new();
        a.add("a.gs", None, b"x".to_vec()).unwrap();
        let mut b = SourceMap::new();
        let id = b.add("b.gs", None, b"\xEF\xBB\xBFy".to_vec()).unwrap();
        let offset = a.append(b);
        assert_eq!(offset, 1);
        let file = a.file(FileId(id.0 + offset));
        assert_eq!((file.name.as_str(), file.text.as_str()), ("b.gs", "y"));
        assert_eq!(file.disk_offset(0), 3);
    }

    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        let mut map = SourceMap::new();
        let id = map
            .add("x.gs", None, b"\xEF\xBB\xBFab\xff\ncd".to_vec())
            .unwrap();
        let file = map.file(id);
        assert_eq!(file.text, "ab \ncd");
        assert_eq!(file.invalid_utf8, vec![2..3]);
        assert_eq!(file.line_col(4), (2, 1));
        assert_eq!(file.disk_offset(4), 7);
        // Only at the start: elsewhere U+FEFF is a character of the text.
        let id = map.add("y.gs", None, b"a\xEF\xBB\xBF".to_vec()).unwrap();
        assert_eq!(map.file(id).text, "a\u{feff}");
        assert_eq!(map.file(id).disk_offset(1), 1);
    }

    #[test]
    fn invisible_characters_are_shown_with_offsets_mapped() {
        let mut map = SourceMap::new();
        let id = map
            .add("x.gs", None, "a\u{7}b\r\nc\u{202e}d\re".into())
            .unwrap();
        let file = map.file(id);
        assert_eq!(file.shown_text(), "a\u{2407}b\r\nc\\u{202e}d\u{240d}e");
        // `b` moves by the 2 bytes `␇` has more than BEL.
        assert_eq!(file.shown_offset(2), 4);
        assert_eq!(file.shown_offset(1), 1);
        // `d`, after `\u{202e}` (8 bytes for 3).
        assert_eq!(file.shown_offset(9), 16);
        assert_eq!(file.shown_line_index(16), 1);
        assert_eq!(file.shown_line_range(1), Some(7..21));
        let plain = map.add("y.gs", None, "x\r\n".into()).unwrap();
        assert_eq!(map.file(plain).shown_text(), "x\r\n");
    }

    #[test]
    fn line_col_counts_characters() {
        let mut map = SourceMap::new();
        let id = map.add("x.gs", None, "a\n\u{e9}\u{e9}x\n".into()).unwrap();
        let file = map.file(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(2), (2, 1));
        assert_eq!(file.line_col(6), (2, 3));
        assert_eq!(file.line_col(8), (3, 1));
    }
}
