//! [`Wire`] for the primitives, `String`, `Vec<T>`, `[T; N]`, `Box<T>`, `()` and
//! tuples.
//!
//! Lists and arrays of `u8`, `i8`, `bool` and the fixed-width numbers are copied in
//! bulk (one `memcpy`) on little-endian targets, where their in-memory bytes are
//! their wire bytes; big-endian targets go element by element.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::reader::Reader;
use crate::wire::Wire;
use crate::wire::{Filling, elements_of};
use crate::writer::{SMALL_COPY, Writer, copy_small, len_prefix_len};

/// Marks the primitive types whose in-memory bytes on a little-endian target are
/// exactly their wire bytes, and for which every bit pattern is a valid value.
///
/// # Safety
///
/// Implementors must have no padding, no invalid bit patterns, and a size equal to
/// their wire size.
#[cfg_attr(not(target_endian = "little"), allow(dead_code))]
unsafe trait Plain: Copy {}

// SAFETY: fixed-width integers and floats: no padding, every bit pattern valid.
unsafe impl Plain for u8 {}
// SAFETY: as above.
unsafe impl Plain for i8 {}
// SAFETY: as above.
unsafe impl Plain for u16 {}
// SAFETY: as above.
unsafe impl Plain for i16 {}
// SAFETY: as above.
unsafe impl Plain for u32 {}
// SAFETY: as above.
unsafe impl Plain for i32 {}
// SAFETY: as above.
unsafe impl Plain for u64 {}
// SAFETY: as above.
unsafe impl Plain for i64 {}
// SAFETY: as above.
unsafe impl Plain for f32 {}
// SAFETY: as above.
unsafe impl Plain for f64 {}

/// The bytes of a slice of plain values (or of bools, which are one byte each).
#[cfg(target_endian = "little")]
#[inline]
fn plain_bytes<T: Plain>(items: &[T]) -> &[u8] {
    // SAFETY: `T` has no padding (`Plain`), so every byte of the slice is
    // initialized; `u8` has alignment 1; the length is the slice's size in bytes,
    // and the result borrows `items`.
    unsafe { std::slice::from_raw_parts(items.as_ptr().cast::<u8>(), size_of_val(items)) }
}

/// Decodes plain values in bulk: as many as `bytes` holds whole (the caller
/// passes exactly `n * size_of::<T>()` bytes).
#[cfg(target_endian = "little")]
#[inline]
fn plain_vec<T: Plain>(bytes: &[u8]) -> Vec<T> {
    let n = bytes.len() / size_of::<T>();
    let mut v = Vec::<T>::with_capacity(n);
    // SAFETY: the allocation holds at least `n` values, i.e. `n * size_of::<T>()`
    // bytes, which is at most `bytes.len()`; `bytes` is a distinct borrowed buffer,
    // so the ranges do not overlap; the copy is bytewise, so `bytes` needs no
    // alignment. After it the first `n` values are fully initialized and valid: `T`
    // is `Plain` (every bit pattern is a value) and the target is little-endian, so
    // these bytes are the values' representation.
    unsafe {
        std::ptr::copy_nonoverlapping(
            bytes.as_ptr(),
            v.as_mut_ptr().cast::<u8>(),
            n * size_of::<T>(),
        );
        v.set_len(n);
    }
    v
}

/// Decodes plain values in bulk into `dst`.
#[cfg(target_endian = "little")]
#[inline]
fn plain_into_slice<T: Plain>(
    r: &mut Reader<'_>,
    dst: &mut [std::mem::MaybeUninit<T>],
) -> Result<(), DecodeError> {
    // An array has no length prefix: input too short for it is an unexpected
    // end, not a length too large.
    let bytes = r.take(size_of_val(dst))?;
    // SAFETY: `dst` holds exactly `bytes.len()` bytes; the buffers are distinct
    // (one is borrowed shared, the other exclusively); the copy is bytewise, so
    // needs no alignment. After it every element is initialized with a valid
    // value: `T` is `Plain` (every bit pattern is a value) and the target is
    // little-endian, so these bytes are the values' representation.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst.as_mut_ptr().cast::<u8>(), bytes.len());
    }
    Ok(())
}

macro_rules! number {
    ($($t:ty = $bits:ty => $from_bits:expr),*) => {$(
        impl Wire for $t {
            const MIN_LEN: usize = size_of::<$t>();

            #[inline]
            fn encoded_len(&self) -> usize {
                size_of::<$t>()
            }

            #[inline]
            fn encode(&self, w: &mut Writer<'_>) {
                w.put_bytes(&self.to_le_bytes());
            }

            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.read_array().map(|b| $from_bits(<$bits>::from_le_bytes(b)))
            }

            #[inline]
            fn encoded_len_slice(items: &[Self]) -> usize {
                size_of_val(items)
            }

            #[inline]
            fn encode_slice(items: &[Self], w: &mut Writer<'_>) {
                #[cfg(target_endian = "little")]
                w.put_bytes(plain_bytes(items));
                #[cfg(not(target_endian = "little"))]
                for item in items {
                    item.encode(w);
                }
            }

            #[inline]
            fn decode_vec(r: &mut Reader<'_>, n: usize) -> Result<Vec<Self>, DecodeError> {
                let bytes = r.take_elements(n, size_of::<$t>())?;
                let v;
                #[cfg(target_endian = "little")]
                {
                    v = plain_vec(bytes);
                }
                #[cfg(not(target_endian = "little"))]
                {
                    v = bytes
                        .chunks_exact(size_of::<$t>())
                        .map(|c| {
                            let mut a = [0u8; size_of::<$t>()];
                            a.copy_from_slice(c);
                            <$t>::from_le_bytes(a)
                        })
                        .collect();
                }
                Ok(v)
            }

            #[cfg(target_endian = "little")]
            #[inline]
            fn decode_into_slice(
                r: &mut Reader<'_>,
                dst: &mut [std::mem::MaybeUninit<Self>],
            ) -> Result<(), DecodeError> {
                plain_into_slice(r, dst)
            }
        }
    )*};
}

number!(
    u8 = u8 => u8::from,
    i8 = i8 => i8::from,
    u16 = u16 => u16::from,
    i16 = i16 => i16::from,
    u32 = u32 => u32::from,
    i32 = i32 => i32::from,
    u64 = u64 => u64::from,
    i64 = i64 => i64::from,
    f32 = u32 => f32::from_bits,
    f64 = u64 => f64::from_bits
);

impl Wire for bool {
    const MIN_LEN: usize = 1;

    #[inline]
    fn encoded_len(&self) -> usize {
        1
    }

    #[inline]
    fn encode(&self, w: &mut Writer<'_>) {
        w.put_u8(u8::from(*self));
    }

    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.read_u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(DecodeError::new(
                DecodeErrorKind::InvalidBool(b),
                r.position() - 1,
            )),
        }
    }

    #[inline]
    fn encoded_len_slice(items: &[Self]) -> usize {
        items.len()
    }

    #[inline]
    fn encode_slice(items: &[Self], w: &mut Writer<'_>) {
        // SAFETY: `bool` is one byte, 0 or 1, with alignment 1, so a `[bool]` is a
        // `[u8]` of the same length; the result borrows `items`.
        let bytes = unsafe { std::slice::from_raw_parts(items.as_ptr().cast::<u8>(), items.len()) };
        w.put_bytes(bytes);
    }

    #[inline]
    fn decode_vec(r: &mut Reader<'_>, n: usize) -> Result<Vec<Self>, DecodeError> {
        let start = r.position();
        let bytes = r.take_elements(n, 1)?;
        check_bools(bytes, start)?;
        let mut v = Vec::<bool>::with_capacity(n);
        // SAFETY: the allocation holds `n == bytes.len()` bools of one byte each; the
        // buffers are distinct; every byte is 0 or 1 (checked above), a valid `bool`.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), v.as_mut_ptr().cast::<u8>(), n);
            v.set_len(n);
        }
        Ok(v)
    }

    #[inline]
    fn decode_into_slice(
        r: &mut Reader<'_>,
        dst: &mut [std::mem::MaybeUninit<Self>],
    ) -> Result<(), DecodeError> {
        let start = r.position();
        // No length prefix: input too short is an unexpected end.
        let bytes = r.take(dst.len())?;
        check_bools(bytes, start)?;
        // SAFETY: `dst` holds `bytes.len()` bools of one byte each; the buffers
        // are distinct; every byte is 0 or 1 (checked above), a valid `bool`.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst.as_mut_ptr().cast::<u8>(), dst.len());
        }
        Ok(())
    }
}

/// Checks that every byte is 0 or 1; `start` is the offset of `bytes[0]`.
#[inline]
fn check_bools(bytes: &[u8], start: usize) -> Result<(), DecodeError> {
    if bytes.iter().fold(0u8, |acc, &b| acc | b) <= 1 {
        return Ok(());
    }
    bad_bool(bytes, start)
}

#[cold]
#[inline(never)]
fn bad_bool(bytes: &[u8], start: usize) -> Result<(), DecodeError> {
    match bytes.iter().position(|&b| b > 1) {
        Some(i) => Err(DecodeError::new(
            DecodeErrorKind::InvalidBool(bytes[i]),
            start + i,
        )),
        None => Ok(()),
    }
}

impl Wire for String {
    const MIN_LEN: usize = 1;

    #[inline]
    fn encoded_len(&self) -> usize {
        len_prefix_len(self.len()) + self.len()
    }

    #[inline]
    fn encode(&self, w: &mut Writer<'_>) {
        w.put_len_prefixed(self.as_bytes());
    }

    #[inline(always)]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.read_len()?;
        let start = r.position();
        let bytes = r.take_elements(n, 1)?;
        // Short ASCII strings, the common case, are checked and copied inline: a
        // call to `from_utf8` and one to `memcpy` would cost more than the work.
        // Every path ends in the one allocation below, so the string is built in
        // registers (paths that merged with a `String` returned through memory
        // made the optimizer assemble it on the stack, stalling on reloading it).
        let small = n <= SMALL_COPY;
        if !(small && is_ascii_small(bytes)) {
            if let Err(at) = check_utf8(bytes) {
                return Err(DecodeError::new(DecodeErrorKind::InvalidUtf8, start + at));
            }
        }
        let mut v = Vec::<u8>::with_capacity(n);
        // SAFETY: the allocation holds `n == bytes.len()` bytes and is distinct
        // from `bytes`; `copy_small` takes at most `SMALL_COPY` bytes. After the
        // copy the `n` bytes are initialized, and they are UTF-8 (checked above).
        unsafe {
            if small {
                copy_small(bytes, v.as_mut_ptr());
            } else {
                std::ptr::copy_nonoverlapping(bytes.as_ptr(), v.as_mut_ptr(), n);
            }
            v.set_len(n);
            Ok(String::from_utf8_unchecked(v))
        }
    }
}

/// Whether `bytes` (at most [`SMALL_COPY`] of them) are all ASCII, with at most
/// two loads.
#[inline(always)]
fn is_ascii_small(bytes: &[u8]) -> bool {
    let n = bytes.len();
    let s = bytes.as_ptr();
    debug_assert!(n <= SMALL_COPY);
    // SAFETY: each branch reads two (possibly overlapping) words that lie within
    // `bytes` (`n >= width`, so the second word starts at `n - width >= 0` and
    // ends at `n`); together they cover every byte. Unaligned reads need no
    // alignment.
    let high = unsafe {
        if n >= 8 {
            s.cast::<u64>().read_unaligned() | s.add(n - 8).cast::<u64>().read_unaligned()
        } else if n >= 4 {
            u64::from(
                s.cast::<u32>().read_unaligned() | s.add(n - 4).cast::<u32>().read_unaligned(),
            )
        } else if n >= 2 {
            u64::from(
                s.cast::<u16>().read_unaligned() | s.add(n - 2).cast::<u16>().read_unaligned(),
            )
        } else if n == 1 {
            u64::from(*s)
        } else {
            0
        }
    };
    high & 0x8080_8080_8080_8080 == 0
}

/// Checks that `bytes` are UTF-8; the error is the offset of the first bad byte.
/// Out of line, and returning in registers: for the long or non-ASCII strings
/// that come here, the check dominates.
#[inline(never)]
fn check_utf8(bytes: &[u8]) -> Result<(), usize> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.valid_up_to()),
    }
}

impl<T: Wire> Wire for Vec<T> {
    const MIN_LEN: usize = 1;

    #[inline]
    fn encoded_len(&self) -> usize {
        len_prefix_len(self.len()) + T::encoded_len_slice(self)
    }

    #[inline]
    fn encode(&self, w: &mut Writer<'_>) {
        w.put_len(self.len());
        T::encode_slice(self, w);
    }

    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.read_len()?;
        T::decode_vec(r, n)
    }
}

impl<T: Wire, const N: usize> Wire for [T; N] {
    const MIN_LEN: usize = T::MIN_LEN.saturating_mul(N);

    #[inline]
    fn encoded_len(&self) -> usize {
        T::encoded_len_slice(self)
    }

    #[inline]
    fn encode(&self, w: &mut Writer<'_>) {
        T::encode_slice(self, w);
    }

    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode_array::<N>(r)
    }

    #[inline]
    fn encoded_len_slice(items: &[Self]) -> usize {
        T::encoded_len_slice(items.as_flattened())
    }

    #[inline]
    fn encode_slice(items: &[Self], w: &mut Writer<'_>) {
        T::encode_slice(items.as_flattened(), w);
    }

    /// Arrays of arrays decode as one run of their innermost elements (one
    /// copy for numbers), in place.
    #[inline]
    fn decode_into_slice(
        r: &mut Reader<'_>,
        dst: &mut [std::mem::MaybeUninit<Self>],
    ) -> Result<(), DecodeError> {
        let Some(len) = dst.len().checked_mul(N) else {
            // Only a slice of zero-sized arrays can be this long: one by one.
            let mut fill = Filling { dst, init: 0 };
            while fill.init < fill.dst.len() {
                let value = Self::decode(r)?;
                fill.push(value);
            }
            fill.finish();
            return Ok(());
        };
        // SAFETY: `dst` is `dst.len()` arrays of `N` elements back to back, with
        // the layout of `len` uninitialized `T`s (see `elements_of`); the slice
        // reborrows `dst`.
        let flat = unsafe {
            std::slice::from_raw_parts_mut(dst.as_mut_ptr().cast::<std::mem::MaybeUninit<T>>(), len)
        };
        T::decode_into_slice(r, flat)
    }

    /// A boxed array decodes in place on the heap, after checking that the
    /// input can hold it, so that neither a short input makes it allocate nor
    /// a large array passes through the stack.
    #[inline]
    fn decode_boxed(r: &mut Reader<'_>) -> Result<Box<Self>, DecodeError> {
        if Self::MIN_LEN > r.remaining() {
            return Err(r.error(DecodeErrorKind::UnexpectedEof {
                needed: Self::MIN_LEN,
                available: r.remaining(),
            }));
        }
        let mut boxed = Box::<Self>::new_uninit();
        T::decode_into_slice(r, elements_of(&mut boxed))?;
        // SAFETY: `decode_into_slice` returned `Ok`, so all `N` elements are
        // initialized.
        Ok(unsafe { boxed.assume_init() })
    }
}

/// Decodes as `T`; boxed arrays straight into their allocation (see
/// [`Wire::decode_boxed`]).
impl<T: Wire> Wire for Box<T> {
    const MIN_LEN: usize = T::MIN_LEN;

    #[inline]
    fn encoded_len(&self) -> usize {
        T::encoded_len(self)
    }

    #[inline]
    fn encode(&self, w: &mut Writer<'_>) {
        T::encode(self, w);
    }

    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode_boxed(r)
    }
}

impl Wire for () {
    const MIN_LEN: usize = 0;

    #[inline]
    fn encoded_len(&self) -> usize {
        0
    }

    #[inline]
    fn encode(&self, _w: &mut Writer<'_>) {}

    #[inline]
    fn decode(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(())
    }
}

macro_rules! tuple {
    ($($name:ident . $idx:tt),+) => {
        /// Encodes like a record with these fields, in order.
        impl<$($name: Wire),+> Wire for ($($name,)+) {
            const MIN_LEN: usize = {
                let n = 0usize;
                $(let n = n.saturating_add($name::MIN_LEN);)+
                n
            };

            #[inline]
            fn encoded_len(&self) -> usize {
                0 $(+ self.$idx.encoded_len())+
            }

            #[inline]
            fn encode(&self, w: &mut Writer<'_>) {
                $(self.$idx.encode(w);)+
            }

            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(($($name::decode(r)?,)+))
            }
        }
    };
}

tuple!(A.0);
tuple!(A.0, B.1);
tuple!(A.0, B.1, C.2);
tuple!(A.0, B.1, C.2, D.3);
tuple!(A.0, B.1, C.2, D.3, E.4);
tuple!(A.0, B.1, C.2, D.3, E.4, F.5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sizes_match_wire_sizes() {
        assert_eq!(f32::MIN_LEN, 4);
        assert_eq!(<[u16; 3]>::MIN_LEN, 6);
        assert_eq!(<(u8, u32)>::MIN_LEN, 5);
        assert_eq!(<[(); 7]>::MIN_LEN, 0);
    }

    /// Strings around the inline paths' limits (the 16-byte copy and ASCII check,
    /// the one-byte length prefix), against the straightforward encoding.
    #[test]
    fn strings_of_every_short_length() {
        for len in 0..=200usize {
            let ascii: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let mut expected = Vec::new();
            Writer::new(&mut expected).put_varint(u32::try_from(len).unwrap());
            expected.extend_from_slice(ascii.as_bytes());
            assert_eq!(crate::to_bytes(&ascii), expected, "{len}");
            assert_eq!(crate::from_bytes::<String>(&expected).unwrap(), ascii);

            let prefix = expected.len() - len;
            for at in 0..len.min(40) {
                // A valid two-byte character in place of one ASCII byte (the string
                // grows by one), then a byte that can never appear in UTF-8.
                let mut multi = ascii.clone();
                multi.replace_range(at..=at, "é");
                assert_eq!(
                    crate::from_bytes::<String>(&crate::to_bytes(&multi)).unwrap(),
                    multi
                );
                let mut bad = expected.clone();
                bad[prefix + at] = 0xff;
                let e = crate::from_bytes::<String>(&bad).unwrap_err();
                assert_eq!(e.kind(), DecodeErrorKind::InvalidUtf8, "{len} {at}");
                assert_eq!(e.offset(), prefix + at, "{len} {at}");
            }
            if len > 0 {
                // A multi-byte character cut off by the end of the string.
                let mut cut = expected.clone();
                cut[prefix + len - 1] = 0xc3;
                let e = crate::from_bytes::<String>(&cut).unwrap_err();
                assert_eq!(e.offset(), prefix + len - 1, "{len}");
            }
        }
    }

    #[test]
    fn bools_in_bulk() {
        let v = vec![true, false, true];
        let b = crate::to_bytes(&v);
        assert_eq!(b, [3, 1, 0, 1]);
        assert_eq!(crate::from_bytes::<Vec<bool>>(&b).unwrap(), v);
        let e = crate::from_bytes::<Vec<bool>>(&[3, 1, 0, 7]).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::InvalidBool(7));
        assert_eq!(e.offset(), 3);
        let e = crate::from_bytes::<[bool; 2]>(&[2, 1]).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::InvalidBool(2));
        assert_eq!(e.offset(), 0);
        assert_eq!(
            crate::from_bytes::<[bool; 2]>(&[0, 1]).unwrap(),
            [false, true]
        );
    }
}
