//! Decode errors: what was wrong, at which byte offset, and in which field.
//!
//! Errors are built only in cold, out-of-line functions. [`DecodeError`] is kept
//! inline rather than boxed: a boxed error makes `Result<Record, DecodeError>`
//! share a pointer-typed slot with the record's fields, which in measurements made
//! the optimizer assemble decoded records through the stack (a store-forwarding
//! stall per element of a list of records with a float field).

use std::fmt;

/// What was wrong with the input of a decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a value (or is shorter than a fixed-size array
    /// of the type needs).
    UnexpectedEof {
        /// Bytes the value needed from the offset on.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A `bool` byte other than `00` or `01`.
    InvalidBool(u8),
    /// A varint longer than 5 bytes or above `2^32 - 1`.
    InvalidVarint,
    /// A varint with a trailing zero group (such as `80 00`).
    NonMinimalVarint,
    /// A string's bytes are not UTF-8; the offset is that of the first bad byte.
    InvalidUtf8,
    /// A length prefix (of a string or list) larger than the remaining input
    /// could hold.
    LengthTooLarge {
        /// The length (element or byte count) read from the input.
        len: usize,
        /// The bytes left after the length prefix.
        remaining: usize,
    },
    /// A list of elements that may encode to zero bytes is longer than
    /// [`Limits::max_zero_sized_len`](crate::Limits::max_zero_sized_len).
    TooManyZeroSized {
        /// The element count read from the input.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// Recursive types nest deeper than [`Limits::max_depth`](crate::Limits::max_depth).
    DepthLimit {
        /// The limit in force.
        max: u32,
    },
    /// Recursive values being decoded at once take more than
    /// [`Limits::max_stack_bytes`](crate::Limits::max_stack_bytes).
    StackLimit {
        /// The limit in force.
        max: usize,
    },
    /// A list of values with a fixed count (the params of a call, the
    /// returns of its answer) has another count.
    WrongCount {
        /// The count the list must have.
        expected: usize,
        /// The count it has.
        found: usize,
    },
    /// Bytes are left after a top-level value.
    TrailingBytes {
        /// How many bytes are left.
        count: usize,
    },
    /// An enum value that names no member of the enum.
    InvalidEnum {
        /// The enum's name.
        enum_name: &'static str,
        /// The value read from the input.
        value: i64,
    },
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::UnexpectedEof { needed, available } => write!(
                f,
                "unexpected end of input: needed {}, {available} available",
                Count(needed, "byte")
            ),
            Self::InvalidBool(b) => write!(f, "invalid bool byte 0x{b:02x}"),
            Self::InvalidVarint => f.write_str("invalid varint (over 5 bytes or above 2^32-1)"),
            Self::NonMinimalVarint => f.write_str("non-minimal varint"),
            Self::InvalidUtf8 => f.write_str("invalid UTF-8 in string"),
            Self::LengthTooLarge { len, remaining } => {
                write!(
                    f,
                    "length {len} too large for the {} left",
                    Count(remaining, "byte")
                )
            }
            Self::TooManyZeroSized { len, max } => write!(
                f,
                "list of {} exceeds the limit of {max}",
                Count(len, "possibly zero-sized element")
            ),
            Self::DepthLimit { max } => write!(f, "nesting deeper than the limit of {max}"),
            Self::StackLimit { max } => write!(
                f,
                "nested values larger than the stack limit of {}",
                Count(max, "byte")
            ),
            Self::WrongCount { expected, found } => {
                write!(f, "{} where {expected} are expected", Count(found, "value"))
            }
            Self::TrailingBytes { count } => {
                write!(f, "{} after the value", Count(count, "trailing byte"))
            }
            Self::InvalidEnum { enum_name, value } => {
                write!(f, "invalid value {value} for enum {enum_name}")
            }
        }
    }
}

/// `n` and a noun, singular for 1 and plural (with `s`) otherwise: "1 byte", "2 bytes".
struct Count(usize, &'static str);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Count(n, noun) = *self;
        write!(f, "{n} {noun}{}", if n == 1 { "" } else { "s" })
    }
}

/// A decode error: its [kind](Self::kind), the byte [offset](Self::offset) in the
/// input where it was found, and the innermost [field](Self::field) being decoded
/// if known.
///
/// Displays as, for example,
/// `invalid UTF-8 in string at byte 3 (field GameMessage.Name)`.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Inner);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: DecodeErrorKind,
    offset: usize,
    field: Option<&'static str>,
}

impl DecodeError {
    /// An error of `kind` found at byte `offset` of the input.
    #[cold]
    #[inline(never)]
    pub fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self(Inner {
            kind,
            offset,
            field: None,
        })
    }

    /// An [`InvalidEnum`](DecodeErrorKind::InvalidEnum) error: `value`, read at byte
    /// `offset`, names no member of the enum `enum_name`.
    #[cold]
    #[inline(never)]
    pub fn invalid_enum(offset: usize, enum_name: &'static str, value: i64) -> Self {
        Self::new(DecodeErrorKind::InvalidEnum { enum_name, value }, offset)
    }

    /// Sets the field name unless one is set already, so the innermost field wins.
    #[cold]
    #[inline(never)]
    #[must_use]
    pub fn with_field(mut self, name: &'static str) -> Self {
        if self.0.field.is_none() {
            self.0.field = Some(name);
        }
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// The byte offset in the input where the error was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// The innermost field being decoded, if known (such as `"GameMessage.Name"`).
    pub fn field(&self) -> Option<&'static str> {
        self.0.field
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("kind", &self.0.kind)
            .field("offset", &self.0.offset)
            .field("field", &self.0.field)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.0.kind, self.0.offset)?;
        if let Some(field) = self.0.field {
            write!(f, " (field {field})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}
