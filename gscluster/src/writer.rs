//! [`Writer`]: appends encoded bytes to a `Vec<u8>`.
//!
//! The writer keeps the vector's pointer, length and capacity in its own fields,
//! so that in an inlined encoder they live in registers: each put is one compare
//! and one store, with no write-back of the vector's length. The length is written
//! back when the writer grows the vector and when it is dropped.
//!
//! Every put checks the room left, so a hand-written [`Wire`](crate::Wire) impl
//! whose `encoded_len` is wrong costs at most a reallocation, never memory safety.

use std::{fmt, ptr};

/// Appends encoded bytes to a `Vec<u8>`.
///
/// The bytes appear in the vector when the writer is dropped (it borrows the
/// vector mutably until then).
pub struct Writer<'a> {
    /// Touched only to grow it and, on drop, to set its length.
    buf: &'a mut Vec<u8>,
    /// `buf.as_mut_ptr()`, refreshed whenever `buf` is reallocated.
    ptr: *mut u8,
    /// Bytes initialized from `ptr` on: the vector's own before the writer, then
    /// the written ones. Invariant: `len <= cap`.
    len: usize,
    /// `buf.capacity()`, refreshed with `ptr`.
    cap: usize,
}

// SAFETY: a `Writer` is an exclusive borrow of a `Vec<u8>` (its raw pointer points
// into that vector's buffer, which it alone may touch), so it can move to and be
// shared with other threads exactly as `&mut Vec<u8>` can.
unsafe impl Send for Writer<'_> {}
// SAFETY: as above; `&Writer` gives access to nothing but `len`.
unsafe impl Sync for Writer<'_> {}

impl fmt::Debug for Writer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Writer")
            .field("len", &self.len)
            .field("capacity", &self.cap)
            .finish()
    }
}

impl Drop for Writer<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `len <= cap == buf.capacity()` and the first `len` bytes are
        // initialized (the invariant of `len`).
        unsafe { self.buf.set_len(self.len) }
    }
}

/// Makes room for `additional` more bytes after the first `len`, which are
/// initialized; returns the new pointer and capacity. Out of line and taking no
/// `&mut Writer`, so the writer's fields can stay in registers.
#[cold]
#[inline(never)]
fn grow(buf: &mut Vec<u8>, len: usize, additional: usize) -> (*mut u8, usize) {
    // SAFETY: `len <= buf.capacity()` and the first `len` bytes are initialized
    // (the writer's invariant), so they become the vector's contents.
    unsafe { buf.set_len(len) };
    buf.reserve(additional);
    (buf.as_mut_ptr(), buf.capacity())
}

/// The number of bytes [`Writer::put_varint`] writes for `v`: 1 to 5.
#[inline]
pub const fn varint_len(v: u32) -> usize {
    // Most lengths and counts fit one byte: one compare for them.
    if v < 0x80 {
        return 1;
    }
    // Bits needed, rounded up to groups of 7.
    let bits = 32 - v.leading_zeros() as usize;
    bits.div_ceil(7)
}

/// The number of bytes a length prefix takes for a list or string of `len`.
///
/// # Panics
///
/// If `len` exceeds `u32::MAX`, which the format cannot represent.
#[inline]
pub fn len_prefix_len(len: usize) -> usize {
    if len < 0x80 {
        1
    } else {
        varint_len(checked_len(len))
    }
}

#[inline]
fn checked_len(len: usize) -> u32 {
    match u32::try_from(len) {
        Ok(n) => n,
        Err(_) => len_overflow(len),
    }
}

#[cold]
#[inline(never)]
fn len_overflow(len: usize) -> ! {
    panic!("gscluster: length {len} exceeds the wire format's maximum of 2^32-1")
}

impl<'a> Writer<'a> {
    /// A writer appending to `buf`.
    #[inline]
    pub fn new(buf: &'a mut Vec<u8>) -> Self {
        let ptr = buf.as_mut_ptr();
        let len = buf.len();
        let cap = buf.capacity();
        Self { buf, ptr, len, cap }
    }

    /// Reserves room for at least `additional` more bytes.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        if self.cap - self.len < additional {
            (self.ptr, self.cap) = grow(self.buf, self.len, additional);
        }
    }

    /// The number of bytes in the buffer (including any it held before).
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Writes one byte.
    #[inline]
    pub fn put_u8(&mut self, v: u8) {
        self.reserve(1);
        // SAFETY: `reserve` made `cap - len >= 1`, so `ptr + len` is inside the
        // allocation; the byte becomes initialized before `len` counts it.
        unsafe { self.ptr.add(self.len).write(v) };
        self.len += 1;
    }

    /// Writes bytes as they are.
    #[inline]
    pub fn put_bytes(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        // SAFETY: `reserve` made `cap - len >= bytes.len()`, so the destination is
        // inside the allocation. `bytes` cannot overlap it: the vector is
        // exclusively borrowed by the writer, so no other reference into its buffer
        // exists, and the destination is beyond its initialized length anyway. The
        // bytes become initialized before `len` counts them.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), self.ptr.add(self.len), bytes.len()) };
        self.len += bytes.len();
    }

    /// Writes a little-endian `u16`.
    #[inline]
    pub fn put_u16(&mut self, v: u16) {
        self.put_bytes(&v.to_le_bytes());
    }

    /// Writes a little-endian `u32`.
    #[inline]
    pub fn put_u32(&mut self, v: u32) {
        self.put_bytes(&v.to_le_bytes());
    }

    /// Writes a little-endian `u64`.
    #[inline]
    pub fn put_u64(&mut self, v: u64) {
        self.put_bytes(&v.to_le_bytes());
    }

    /// Writes a varint: unsigned LEB128, 1 to 5 bytes.
    #[inline]
    pub fn put_varint(&mut self, v: u32) {
        if v < 0x80 {
            self.put_u8(v as u8);
        } else {
            self.put_varint_long(v);
        }
    }

    #[inline]
    fn put_varint_long(&mut self, mut v: u32) {
        let n = varint_len(v);
        self.reserve(n);
        // SAFETY: `reserve` made `cap - len >= n`, and exactly `n` bytes are written
        // (the varint of `v` is `varint_len(v)` bytes), all before `len` counts them.
        unsafe {
            let dst = self.ptr.add(self.len);
            for i in 0..n - 1 {
                dst.add(i).write((v as u8) | 0x80);
                v >>= 7;
            }
            dst.add(n - 1).write(v as u8);
        }
        self.len += n;
    }

    /// Writes the length prefix of a list or string.
    ///
    /// # Panics
    ///
    /// If `len` exceeds `u32::MAX`, which the format cannot represent.
    #[inline]
    pub fn put_len(&mut self, len: usize) {
        if len < 0x80 {
            self.put_u8(len as u8);
        } else {
            self.put_varint_long(checked_len(len));
        }
    }

    /// Writes `bytes` with their length prefix, as a string or a byte list is
    /// encoded: one capacity check and no call to `memcpy` for the short ones.
    ///
    /// # Panics
    ///
    /// If `bytes.len()` exceeds `u32::MAX`, which the format cannot represent.
    #[inline(always)]
    pub(crate) fn put_len_prefixed(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        if n <= SMALL_COPY {
            self.reserve(n + 1);
            // SAFETY: `reserve` made `cap - len >= n + 1`, so the prefix byte and
            // the `n` bytes after it are inside the allocation; `bytes` cannot
            // overlap them (see `put_bytes`). All `n + 1` bytes are initialized
            // before `len` counts them.
            unsafe {
                let dst = self.ptr.add(self.len);
                dst.write(n as u8);
                copy_small(bytes, dst.add(1));
            }
            self.len += n + 1;
        } else {
            self.put_len_prefixed_long(bytes);
        }
    }

    /// [`put_len_prefixed`](Self::put_len_prefixed) past [`SMALL_COPY`] bytes:
    /// out of line, to keep the inlined short path small (the copy dominates).
    #[inline(never)]
    fn put_len_prefixed_long(&mut self, bytes: &[u8]) {
        self.put_len(bytes.len());
        self.put_bytes(bytes);
    }
}

/// The longest run of bytes [`copy_small`] copies. It must stay below 128, so
/// that `put_len_prefixed` writes the length of such a run as one varint byte.
pub(crate) const SMALL_COPY: usize = 16;

/// Copies `src` (at most [`SMALL_COPY`] bytes) to `dst` with at most two loads
/// and two stores, inline: for short strings a call to `memcpy` costs more than
/// the copy.
///
/// # Safety
///
/// `src.len() <= SMALL_COPY`, `dst` is valid for writes of `src.len()` bytes, and
/// the ranges do not overlap.
#[inline(always)]
pub(crate) unsafe fn copy_small(src: &[u8], dst: *mut u8) {
    let n = src.len();
    let s = src.as_ptr();
    debug_assert!(n <= SMALL_COPY);
    // SAFETY: each branch reads two (possibly overlapping) words that lie within
    // `src[..n]` (`n >= width`, so `n - width` is a valid offset and the second
    // word ends at `n`) and writes them at the same offsets from `dst`, which the
    // caller made valid for `n` bytes; together the two words cover `0..n`.
    // Unaligned reads and writes need no alignment.
    unsafe {
        if n >= 8 {
            let head = s.cast::<u64>().read_unaligned();
            let tail = s.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(head);
            dst.add(n - 8).cast::<u64>().write_unaligned(tail);
        } else if n >= 4 {
            let head = s.cast::<u32>().read_unaligned();
            let tail = s.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(head);
            dst.add(n - 4).cast::<u32>().write_unaligned(tail);
        } else if n >= 2 {
            let head = s.cast::<u16>().read_unaligned();
            let tail = s.add(n - 2).cast::<u16>().read_unaligned();
            dst.cast::<u16>().write_unaligned(head);
            dst.add(n - 2).cast::<u16>().write_unaligned(tail);
        } else if n == 1 {
            dst.write(*s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The varint encoding, written the obvious way.
    fn reference_varint(mut v: u32, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    #[test]
    fn grows_from_empty_and_keeps_prior_contents() {
        let mut buf = vec![0xee];
        buf.shrink_to_fit();
        let mut expected = buf.clone();
        {
            let mut w = Writer::new(&mut buf);
            for i in 0..2000u32 {
                let v = i.wrapping_mul(2_654_435_761) >> (i % 32);
                w.put_varint(v);
                reference_varint(v, &mut expected);
                w.put_u8(i as u8);
                expected.push(i as u8);
                w.put_u16(i as u16);
                expected.extend_from_slice(&(i as u16).to_le_bytes());
                w.put_u32(v);
                expected.extend_from_slice(&v.to_le_bytes());
                w.put_u64(u64::from(v) << 7);
                expected.extend_from_slice(&(u64::from(v) << 7).to_le_bytes());
                w.put_bytes(&[]);
                w.put_bytes(&[1, 2, 3][..(i % 3) as usize]);
                expected.extend_from_slice(&[1, 2, 3][..(i % 3) as usize]);
                assert_eq!(w.len(), expected.len());
            }
        }
        assert_eq!(buf, expected);
    }

    #[test]
    fn varint_lengths() {
        for (v, n) in [
            (0, 1),
            (127, 1),
            (128, 2),
            (16383, 2),
            (16384, 3),
            ((1 << 21) - 1, 3),
            (1 << 21, 4),
            ((1 << 28) - 1, 4),
            (1 << 28, 5),
            (u32::MAX, 5),
        ] {
            assert_eq!(varint_len(v), n, "{v}");
            let mut buf = Vec::new();
            Writer::new(&mut buf).put_varint(v);
            let mut expected = Vec::new();
            reference_varint(v, &mut expected);
            assert_eq!(buf, expected, "{v}");
        }
    }

    #[test]
    fn a_panic_mid_encode_leaves_the_written_bytes() {
        let mut buf = Vec::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut w = Writer::new(&mut buf);
            w.put_bytes(b"abc");
            panic!("encoder failed");
        }));
        assert!(result.is_err());
        assert_eq!(buf, b"abc");
    }

    #[test]
    fn writer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Writer<'_>>();
    }
}
