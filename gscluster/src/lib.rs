//! gscluster: the wire codec runtime for Rust code generated from gslang.
//!
//! A value encodes as its fields' values in declaration order, recursively, with no
//! tags and no field count: `bool` as one byte `00`/`01`; the integers and floats as
//! fixed-width little-endian; strings and lists (`Vec<T>`) as a varint count then
//! the bytes or elements; arrays (`[T; N]`) as exactly `N` elements. A varint is the
//! unsigned LEB128 of a `u32`, at most 5 bytes, minimal.
//!
//! Encoding computes the exact size first ([`Wire::encoded_len`]) and allocates
//! once. Decoding untrusted input costs time and memory linear in its size: list
//! counts are checked against the remaining input before anything is allocated, and
//! [`Limits`] cap lists of zero-sized elements and the nesting of recursive types.
//!
//! ```
//! let v: Vec<String> = vec!["hi".into(), "".into()];
//! let bytes = gscluster::to_bytes(&v);
//! assert_eq!(bytes, [2, 2, b'h', b'i', 0]);
//! assert_eq!(gscluster::from_bytes::<Vec<String>>(&bytes)?, v);
//! # Ok::<(), gscluster::DecodeError>(())
//! ```
#![warn(missing_docs)]

mod error;
mod flags;
mod impls;
mod reader;
mod wire;
mod writer;

pub use error::{DecodeError, DecodeErrorKind};
pub use reader::{Limits, Reader};
pub use wire::Wire;
pub use writer::{Writer, len_prefix_len, varint_len};

/// The result of a decode.
pub type Result<T, E = DecodeError> = core::result::Result<T, E>;

/// Encodes `value` into a new buffer of exactly its encoded size.
#[inline]
pub fn to_bytes<T: Wire>(value: &T) -> Vec<u8> {
    let mut buf = Vec::with_capacity(value.encoded_len());
    value.encode(&mut Writer::new(&mut buf));
    buf
}

/// Appends the encoding of `value` to `buf`, reserving its exact size first.
#[inline]
pub fn encode_into<T: Wire>(value: &T, buf: &mut Vec<u8>) {
    buf.reserve(value.encoded_len());
    value.encode(&mut Writer::new(buf));
}

/// Decodes a value that must span all of `bytes`, with the default [`Limits`].
#[inline]
pub fn from_bytes<T: Wire>(bytes: &[u8]) -> Result<T, DecodeError> {
    from_bytes_with_limits(bytes, Limits::DEFAULT)
}

/// Decodes a value that must span all of `bytes`, with the given [`Limits`].
#[inline]
pub fn from_bytes_with_limits<T: Wire>(bytes: &[u8], limits: Limits) -> Result<T, DecodeError> {
    let mut r = Reader::with_limits(bytes, limits);
    let value = T::decode(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// Decodes an enum from its base integer; a number that names no value of the
/// enum is an [`InvalidEnum`](DecodeErrorKind::InvalidEnum) error at its offset.
///
/// Generated enums call it as `decode_enum(r, "Status", Self::try_from)`.
#[inline]
pub fn decode_enum<B, E>(
    r: &mut Reader<'_>,
    name: &'static str,
    from_base: impl FnOnce(B) -> Result<E, B>,
) -> Result<E>
where
    B: Wire + Into<i64>,
{
    let at = r.position();
    let value = B::decode(r)?;
    from_base(value).map_err(|v| DecodeError::invalid_enum(at, name, v.into()))
}

/// Decodes one field of a record, naming it in any error that has no field yet.
///
/// Generated record decoders call this once per field, with names such as
/// `"GameMessage.Name"`.
#[inline(always)]
pub fn field<T: Wire>(r: &mut Reader<'_>, name: &'static str) -> Result<T, DecodeError> {
    T::decode(r).map_err(|e| e.with_field(name))
}
