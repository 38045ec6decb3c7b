//! [`Reader`]: a cursor over the input of a decode, with the [`Limits`] that keep
//! decoding untrusted input linear in time and memory.

use std::fmt;

use crate::error::{DecodeError, DecodeErrorKind};

/// Limits on what a decode of untrusted input may do.
///
/// Built from [`Limits::DEFAULT`] (or [`Limits::new`], the same) with the
/// `with_*` setters, which are `const`:
///
/// ```
/// use gscluster::Limits;
/// const LIMITS: Limits = Limits::new().with_max_depth(50).with_max_stack_bytes(16 << 10);
/// assert_eq!(LIMITS.max_depth, 50);
/// assert_eq!(LIMITS.max_stack_bytes, 16384);
/// assert_eq!(LIMITS.max_zero_sized_len, Limits::DEFAULT.max_zero_sized_len);
/// ```
///
/// The struct is `#[non_exhaustive]`: new limits may be added, with defaults,
/// without breaking code that sets the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// How deep recursive types may nest: the number of [`Reader::enter`] calls that
    /// may be open at once. Default 100.
    pub max_depth: u32,
    /// The most elements of types that may encode to zero bytes (`MIN_LEN == 0`,
    /// such as an empty record) that one decode may produce, in all its lists
    /// together: without it, a few bytes could ask for billions of them.
    /// Arrays do not count: their length is fixed by the type, not read from
    /// the input. Default 65536.
    pub max_zero_sized_len: usize,
    /// How many bytes of recursive values may be being decoded at once: the
    /// sum of the `frame` sizes of the [`Reader::enter`] calls open at once,
    /// each the in-memory size of a record of a recursive type
    /// (`size_of::<Self>()`, plus any arrays between it and the next level).
    /// Where [`max_depth`](Self::max_depth) counts levels, this bounds the
    /// stack they take, which grows with the size of each level's value: a
    /// debug build's decoder frames hold about 11 copies of the value per
    /// level, a release build's about 3. Default 64 KiB: decoding at the
    /// default limits takes under 1 MiB of stack in a debug build, half of a
    /// 2 MiB thread (tokio's default), and a quarter of that in release.
    pub max_stack_bytes: usize,
}

impl Limits {
    /// The default limits: depth 100, 65536 zero-sized elements, 64 KiB of
    /// recursive values.
    pub const DEFAULT: Self = Self {
        max_depth: 100,
        max_zero_sized_len: 65536,
        max_stack_bytes: 64 << 10,
    };

    /// The default limits, [`Limits::DEFAULT`], to adjust with the `with_*` setters.
    #[inline]
    pub const fn new() -> Self {
        Self::DEFAULT
    }

    /// These limits with [`max_depth`](Self::max_depth) set to `max_depth`.
    #[inline]
    #[must_use]
    pub const fn with_max_depth(mut self, max_depth: u32) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// These limits with [`max_zero_sized_len`](Self::max_zero_sized_len) set to `max`.
    #[inline]
    #[must_use]
    pub const fn with_max_zero_sized_len(mut self, max: usize) -> Self {
        self.max_zero_sized_len = max;
        self
    }

    /// These limits with [`max_stack_bytes`](Self::max_stack_bytes) set to `max`.
    #[inline]
    #[must_use]
    pub const fn with_max_stack_bytes(mut self, max: usize) -> Self {
        self.max_stack_bytes = max;
        self
    }
}

impl Default for Limits {
    #[inline]
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A cursor over the bytes being decoded.
///
/// Errors carry the byte offset where they were found. After an error the reader
/// is in an unspecified (but safe) state and should be dropped.
#[derive(Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
    len: usize,
    depth: u32,
    /// Bytes of recursive values that may still be entered (see
    /// [`Limits::max_stack_bytes`]).
    stack_left: usize,
    /// Zero-sized elements this decode may still produce.
    zero_sized_left: usize,
    /// Bytes of the remaining input promised to list elements that lists have
    /// preallocated room for and not yet decoded (see [`Reader::claim`]).
    claimed: usize,
    limits: Limits,
}

impl fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("position", &self.position())
            .field("remaining", &self.remaining())
            .field("depth", &self.depth)
            .field("stack_left", &self.stack_left)
            .field("limits", &self.limits)
            .finish()
    }
}

impl<'a> Reader<'a> {
    /// A reader over `input` with the default [`Limits`].
    #[inline]
    pub fn new(input: &'a [u8]) -> Self {
        Self::with_limits(input, Limits::DEFAULT)
    }

    /// A reader over `input` with the given limits.
    #[inline]
    pub fn with_limits(input: &'a [u8], limits: Limits) -> Self {
        Self {
            rest: input,
            len: input.len(),
            depth: 0,
            stack_left: limits.max_stack_bytes,
            zero_sized_left: limits.max_zero_sized_len,
            claimed: 0,
            limits,
        }
    }

    /// The limits in force.
    #[inline]
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The byte offset of the next byte to read.
    #[inline]
    pub fn position(&self) -> usize {
        self.len - self.rest.len()
    }

    /// The number of bytes left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// The bytes left, without consuming them.
    #[inline]
    pub fn peek_rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The current nesting depth: [`enter`](Self::enter) calls not yet left.
    #[inline]
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// An error of `kind` at the current position.
    ///
    /// Like every error path of the reader, this takes no `&mut self` out of line,
    /// so that a reader local to an inlined decoder can live in registers.
    #[inline]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.position())
    }

    #[inline]
    fn eof(&self, needed: usize) -> DecodeError {
        DecodeError::new(
            DecodeErrorKind::UnexpectedEof {
                needed,
                available: self.rest.len(),
            },
            self.position(),
        )
    }

    /// Consumes the next `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        match self.rest.split_at_checked(n) {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(head)
            }
            None => Err(self.eof(n)),
        }
    }

    /// Consumes the next `N` bytes as an array.
    #[inline]
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        match self.rest.split_first_chunk::<N>() {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(*head)
            }
            None => Err(self.eof(N)),
        }
    }

    /// Reads one byte.
    #[inline]
    pub fn read_u8(&mut self) -> Result<u8, DecodeError> {
        match self.rest.split_first() {
            Some((&b, tail)) => {
                self.rest = tail;
                Ok(b)
            }
            None => Err(self.eof(1)),
        }
    }

    /// Reads a little-endian `u16`.
    #[inline]
    pub fn read_u16(&mut self) -> Result<u16, DecodeError> {
        self.read_array().map(u16::from_le_bytes)
    }

    /// Reads a little-endian `u32`.
    #[inline]
    pub fn read_u32(&mut self) -> Result<u32, DecodeError> {
        self.read_array().map(u32::from_le_bytes)
    }

    /// Reads a little-endian `u64`.
    #[inline]
    pub fn read_u64(&mut self) -> Result<u64, DecodeError> {
        self.read_array().map(u64::from_le_bytes)
    }

    /// Reads a varint: unsigned LEB128 of a `u32`, at most 5 bytes, minimal.
    #[inline]
    pub fn read_varint(&mut self) -> Result<u32, DecodeError> {
        if let Some((&b, tail)) = self.rest.split_first() {
            if b < 0x80 {
                self.rest = tail;
                return Ok(u32::from(b));
            }
        }
        match varint_slow(self.rest) {
            Ok((value, n)) => {
                self.rest = &self.rest[n..];
                Ok(value)
            }
            Err(kind) => Err(self.error(kind)),
        }
    }

    /// Reads a varint length or count as a `usize`.
    #[inline]
    pub fn read_len(&mut self) -> Result<usize, DecodeError> {
        let start = self.position();
        let n = self.read_varint()?;
        usize::try_from(n).map_err(|_| {
            DecodeError::new(
                DecodeErrorKind::LengthTooLarge {
                    len: usize::MAX,
                    remaining: self.remaining(),
                },
                start,
            )
        })
    }

    /// Checks, before anything is allocated, that a list of `n` elements whose type
    /// encodes to at least `min_len` bytes each can fit in the remaining input; for
    /// `min_len == 0`, takes `n` from the decode's budget of zero-sized elements
    /// ([`Limits::max_zero_sized_len`]), an error when it is spent.
    #[inline]
    pub fn check_count(&mut self, n: usize, min_len: usize) -> Result<(), DecodeError> {
        if min_len == 0 {
            if n > self.zero_sized_left {
                return Err(self.error(DecodeErrorKind::TooManyZeroSized {
                    len: n,
                    max: self.limits.max_zero_sized_len,
                }));
            }
            self.zero_sized_left -= n;
        } else if n > self.rest.len() / min_len {
            return Err(self.too_long(n));
        }
        Ok(())
    }

    /// How many of the `n` elements of a list (each at least `min_len` bytes on
    /// the wire) it may preallocate room for: as many as the remaining input
    /// can back that is not already promised to the unfinished elements of
    /// enclosing lists. Promises those bytes until [`release`](Self::release).
    ///
    /// Without the promise, each level of nested lists could preallocate
    /// against the same remaining input, and a short hostile input could make
    /// a decode allocate a large multiple of its size.
    #[inline]
    pub(crate) fn claim(&mut self, n: usize, min_len: usize) -> usize {
        let min_len = min_len.max(1);
        let free = self.rest.len().saturating_sub(self.claimed);
        let k = n.min(free / min_len);
        self.claimed += k * min_len;
        k
    }

    /// Releases the promise for one decoded element of `min_len` bytes.
    #[inline]
    pub(crate) fn release(&mut self, min_len: usize) {
        self.claimed = self.claimed.saturating_sub(min_len.max(1));
    }

    /// Consumes the bytes of `n` elements of `size` bytes each; a `LengthTooLarge`
    /// error if the input is shorter.
    #[inline]
    pub(crate) fn take_elements(&mut self, n: usize, size: usize) -> Result<&'a [u8], DecodeError> {
        match n.checked_mul(size) {
            Some(bytes) if bytes <= self.rest.len() => {
                let (head, tail) = self.rest.split_at(bytes);
                self.rest = tail;
                Ok(head)
            }
            _ => Err(self.too_long(n)),
        }
    }

    #[inline]
    fn too_long(&self, len: usize) -> DecodeError {
        DecodeError::new(
            DecodeErrorKind::LengthTooLarge {
                len,
                remaining: self.rest.len(),
            },
            self.position(),
        )
    }

    /// Enters one level of a recursive type whose values take `frame` bytes: an
    /// error past [`Limits::max_depth`] levels or [`Limits::max_stack_bytes`]
    /// bytes in all. Generated code calls it as
    /// `r.enter(::core::mem::size_of::<Self>())?` before decoding the fields of
    /// a record that is part of a recursion cycle, and
    /// [`leave`](Self::leave) with the same size after.
    #[inline]
    pub fn enter(&mut self, frame: usize) -> Result<(), DecodeError> {
        if self.depth >= self.limits.max_depth {
            return Err(self.error(DecodeErrorKind::DepthLimit {
                max: self.limits.max_depth,
            }));
        }
        if frame > self.stack_left {
            return Err(self.error(DecodeErrorKind::StackLimit {
                max: self.limits.max_stack_bytes,
            }));
        }
        self.depth += 1;
        self.stack_left -= frame;
        Ok(())
    }

    /// Leaves a level entered with [`enter`](Self::enter)`(frame)`.
    #[inline]
    pub fn leave(&mut self, frame: usize) {
        self.depth = self.depth.saturating_sub(1);
        self.stack_left = self.stack_left.saturating_add(frame);
    }

    /// Ends a top-level decode: an error if bytes are left.
    #[inline]
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.error(DecodeErrorKind::TrailingBytes {
                count: self.rest.len(),
            }))
        }
    }
}

/// Decodes a varint from the start of `bytes`: its value and length in bytes.
/// Out of line (multi-byte varints are the rarer case) and reader-free.
#[inline(never)]
fn varint_slow(bytes: &[u8]) -> Result<(u32, usize), DecodeErrorKind> {
    let mut value = 0u32;
    for i in 0..5 {
        let Some(&b) = bytes.get(i) else {
            return Err(DecodeErrorKind::UnexpectedEof {
                needed: i + 1,
                available: bytes.len(),
            });
        };
        if i == 4 && b > 0x0f {
            // A 5th byte carries bits 28..31 only and must end the varint.
            return Err(DecodeErrorKind::InvalidVarint);
        }
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if b == 0 && i > 0 {
                return Err(DecodeErrorKind::NonMinimalVarint);
            }
            return Ok((value, i + 1));
        }
    }
    // Unreachable: the 5th byte either ends the varint or is rejected above.
    Err(DecodeErrorKind::InvalidVarint)
}
