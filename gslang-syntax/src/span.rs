//! Byte spans into source files.
//!
//! Every AST and IR node that can be blamed for an error carries a [`Span`].
//! Offsets are byte offsets into the file's text as held by the
//! [`SourceMap`](crate::SourceMap); line and column numbers are computed only
//! when a diagnostic is rendered.

use std::fmt;
use std::ops::Range;

/// Identifies one file in a [`SourceMap`](crate::SourceMap).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
pub struct FileId(pub u32);

impl FileId {
    /// The index of the file in its source map.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Debug for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file#{}", self.0)
    }
}

/// A half-open byte range `start..end` in one file.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Span {
    /// The file the span points into.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `start..end` in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both `self` and `other` (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// An empty span at the start of `self`.
    pub fn shrink_to_lo(self) -> Span {
        Span {
            end: self.start,
            ..self
        }
    }

    /// An empty span at the end of `self`.
    pub fn shrink_to_hi(self) -> Span {
        Span {
            start: self.end,
            ..self
        }
    }

    /// The span as a `usize` range, for slicing the file's text.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}@{}..{}", self.file, self.start, self.end)
    }
}

/// A name as written in the source, with its span.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name.
    pub name: smol_str::SmolStr,
    /// Where it is written.
    pub span: Span,
}

impl Ident {
    /// An identifier named `name` at `span`.
    pub fn new(name: impl Into<smol_str::SmolStr>, span: Span) -> Ident {
        Ident {
            name: name.into(),
            span,
        }
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}..{}", self.name, self.span.start, self.span.end)
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}
