//! [`Writer`]: appends encoded bytes to a buffer, a `Vec<u8>` or a
//! `bytes::BytesMut` (any [`EncodeBuf`]).
//!
//! The writer keeps the buffer's pointer, length and capacity in its own fields,
//! so that in an inlined encoder they live in registers: each put is one compare
//! and one store, with no write-back of the buffer's length. The buffer itself is
//! touched only through [`EncodeBuf`], when the writer grows it (out of line, on
//! the cold path) and when it is dropped (to set the length).
//!
//! Every put checks the room left, so a hand-written [`Wire`](crate::Wire) impl
//! whose `encoded_len` is wrong costs at most a reallocation, never memory safety.

use std::{fmt, ptr};

/// A growable byte buffer that a [`Writer`] appends to: implemented for
/// `Vec<u8>` and `bytes::BytesMut`.
///
/// The writer reads the buffer's pointer, length and capacity once, writes
/// bytes past the length itself, and calls back only to grow the buffer and
/// to set its length when done. Buffers are `Send`, so that writers are.
///
/// # Safety
///
/// Implementors guarantee, for as long as the buffer is not touched otherwise:
/// - [`raw_parts`](Self::raw_parts) returns `(ptr, len, cap)` with `len <= cap`,
///   where `ptr.wrapping_add(i)` for every `i` in `len..cap` is valid for
///   writes (the bytes below `len` are never accessed through `ptr`), until
///   the next call of [`grow`](Self::grow) or [`set_len`](Self::set_len);
/// - [`grow`](Self::grow)`(n)` leaves at least `n` bytes of capacity past the
///   length and keeps the first `len` bytes;
/// - [`set_len`](Self::set_len)`(n)` makes the first `n` bytes the contents.
pub unsafe trait EncodeBuf: Send {
    /// The start of the buffer, its length (the initialized bytes) and its
    /// capacity.
    fn raw_parts(&mut self) -> (*mut u8, usize, usize);

    /// Makes room for at least `additional` bytes past the length, keeping the
    /// contents; the buffer may move.
    fn grow(&mut self, additional: usize);

    /// Sets the length.
    ///
    /// # Safety
    ///
    /// `len` is at most the capacity, and the first `len` bytes are initialized.
    unsafe fn set_len(&mut self, len: usize);
}

// SAFETY: `as_mut_ptr` points to the vector's whole buffer of `capacity`
// bytes; `reserve` keeps the contents and leaves `additional` bytes spare;
// `Vec::set_len` has the same contract as `set_len`.
unsafe impl EncodeBuf for Vec<u8> {
    #[inline]
    fn raw_parts(&mut self) -> (*mut u8, usize, usize) {
        (self.as_mut_ptr(), self.len(), self.capacity())
    }

    #[inline]
    fn grow(&mut self, additional: usize) {
        self.reserve(additional);
    }

    #[inline]
    unsafe fn set_len(&mut self, len: usize) {
        // SAFETY: the caller's contract is `Vec::set_len`'s.
        unsafe { Vec::set_len(self, len) }
    }
}

// SAFETY: the pointer is derived from `spare_capacity_mut`, which covers
// `len..capacity` of the buffer, and moved back by `len` (with wrapping
// arithmetic, so it is never dereferenced below `len`); `reserve` keeps the
// contents and leaves `additional` bytes spare; `BytesMut::set_len` has the
// same contract as `set_len`.
unsafe impl EncodeBuf for bytes::BytesMut {
    #[inline]
    fn raw_parts(&mut self) -> (*mut u8, usize, usize) {
        let (len, cap) = (self.len(), self.capacity());
        let spare = self.spare_capacity_mut().as_mut_ptr().cast::<u8>();
        (spare.wrapping_sub(len), len, cap)
    }

    #[inline]
    fn grow(&mut self, additional: usize) {
        self.reserve(additional);
    }

    #[inline]
    unsafe fn set_len(&mut self, len: usize) {
        // SAFETY: the caller's contract is `BytesMut::set_len`'s.
        unsafe { bytes::BytesMut::set_len(self, len) }
    }
}

/// Appends encoded bytes to a buffer: a `Vec<u8>` or a `bytes::BytesMut`.
///
/// The bytes appear in the buffer when the writer is dropped (it borrows the
/// buffer mutably until then).
pub struct Writer<'a> {
    /// Touched only to grow it and, on drop, to set its length.
    buf: &'a mut dyn EncodeBuf,
    /// The buffer's start, refreshed whenever it is grown. Written only at
    /// offsets `len..cap`.
    ptr: *mut u8,
    /// Bytes initialized from `ptr` on: the buffer's own before the writer, then
    /// the written ones. Invariant: `len <= cap`.
    len: usize,
    /// The buffer's capacity, refreshed with `ptr`.
    cap: usize,
}

// SAFETY: a `Writer` is an exclusive borrow of a buffer that is `Send` (the
// bound of `EncodeBuf`), and its raw pointer points into that buffer, which it
// alone may touch; so it can move to another thread as `&mut` of the buffer can.
unsafe impl Send for Writer<'_> {}
// SAFETY: `&Writer` gives access to nothing but `len` and `cap`.
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
        // SAFETY: `len <= cap`, the buffer's capacity, and the first `len` bytes
        // are initialized (the invariant of `len`).
        unsafe { self.buf.set_len(self.len) }
    }
}

/// Makes room for `additional` more bytes after the first `len`, which are
/// initialized; returns the new pointer and capacity. Out of line and taking no
/// `&mut Writer`, so the writer's fields can stay in registers.
#[cold]
#[inline(never)]
fn grow(buf: &mut dyn EncodeBuf, len: usize, additional: usize) -> (*mut u8, usize) {
    // SAFETY: `len <= capacity` and the first `len` bytes are initialized (the
    // writer's invariant), so they become the buffer's contents.
    unsafe { buf.set_len(len) };
    buf.grow(additional);
    let (ptr, _, cap) = buf.raw_parts();
    (ptr, cap)
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
    /// A writer appending to `buf` (a `Vec<u8>` or a `bytes::BytesMut`).
    #[inline]
    pub fn new<B: EncodeBuf>(buf: &'a mut B) -> Self {
        let (ptr, len, cap) = buf.raw_parts();
        Self { buf, ptr, len, cap }
    }

    /// Ends the writer without setting the buffer's length (its `Drop` does
    /// that); returns the length to set.
    #[inline]
    fn into_len(self) -> usize {
        std::mem::ManuallyDrop::new(self).len
    }

    /// Reserves room for at least `additional` more bytes.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        if self.cap - self.len < additional {
            (self.ptr, self.cap) = grow(&mut *self.buf, self.len, additional);
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
        // inside the buffer. `bytes` cannot overlap it: the buffer is exclusively
        // borrowed by the writer, so no other reference into it exists, and the
        // destination is beyond its initialized length anyway. The bytes become
        // initialized before `len` counts them.
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

/// Appends the encoding of `value` to `buf` (which should have room for it).
///
/// Sets the length through `B` directly rather than through the writer's
/// `dyn EncodeBuf` on drop: once `encode` is out of line, the writer's vtable
/// is a load from memory, and the length would be set by an indirect call
/// (5 of the 600 instructions of a `GameMessage` encode).
#[inline]
pub(crate) fn encode_to<T: crate::Wire, B: EncodeBuf>(value: &T, buf: &mut B) {
    let mut w = Writer::new(buf);
    value.encode(&mut w);
    // On a panic in `encode`, the writer's `Drop` sets the length instead.
    let len = w.into_len();
    // SAFETY: `len` is at most the capacity the writer last read from `buf`,
    // which nothing has changed since, and the first `len` bytes are
    // initialized (the writer's invariant).
    unsafe { buf.set_len(len) }
}

/// The part of a `BufMut` chunk a [`Writer`] encodes into in place; if an
/// encoder writes more than the chunk holds (an `encoded_len` that lied), the
/// bytes move to a `Vec` of their own.
struct ChunkBuf {
    ptr: *mut u8,
    len: usize,
    cap: usize,
    spilled: Option<Vec<u8>>,
}

// SAFETY: a `ChunkBuf` is the exclusive handle on a region of bytes (the
// chunk, borrowed from the `BufMut` for the encode) or on its own `Vec`;
// writing those bytes from another thread is as sound as through `&mut [u8]`.
unsafe impl Send for ChunkBuf {}

// SAFETY: without a spill, `ptr` is the chunk's start, valid for writes of
// `cap` bytes (the chunk's length); after one, everything is the `Vec`'s,
// whose contract is this trait's. A spill copies the `len` initialized bytes.
unsafe impl EncodeBuf for ChunkBuf {
    #[inline]
    fn raw_parts(&mut self) -> (*mut u8, usize, usize) {
        match &mut self.spilled {
            Some(v) => v.raw_parts(),
            None => (self.ptr, self.len, self.cap),
        }
    }

    #[cold]
    fn grow(&mut self, additional: usize) {
        match &mut self.spilled {
            Some(v) => v.reserve(additional),
            None => {
                let mut v = Vec::with_capacity(self.len.saturating_add(additional));
                // SAFETY: the first `len` bytes of the chunk are initialized (the
                // contract of `set_len`, which the writer called before growing).
                v.extend_from_slice(unsafe { std::slice::from_raw_parts(self.ptr, self.len) });
                self.spilled = Some(v);
            }
        }
    }

    #[inline]
    unsafe fn set_len(&mut self, len: usize) {
        match &mut self.spilled {
            // SAFETY: the caller's contract is `Vec::set_len`'s.
            Some(v) => unsafe { v.set_len(len) },
            None => self.len = len,
        }
    }
}

/// See [`crate::encode_into_buf_mut`].
#[inline]
pub(crate) fn encode_into_buf_mut<T: crate::Wire, B: bytes::BufMut + ?Sized>(
    value: &T,
    buf: &mut B,
) {
    let n = value.encoded_len();
    let chunk = buf.chunk_mut();
    if chunk.len() < n {
        buf.put_slice(&crate::to_bytes(value));
        return;
    }
    let mut sink = ChunkBuf {
        ptr: chunk.as_mut_ptr(),
        len: 0,
        cap: chunk.len(),
        spilled: None,
    };
    encode_to(value, &mut sink);
    match sink.spilled {
        // SAFETY: the writer initialized the chunk's first `sink.len` bytes
        // (`sink.len <= cap`, the chunk's length).
        None => unsafe { buf.advance_mut(sink.len) },
        // The chunk was scratch space only: nothing was advanced over it.
        Some(v) => buf.put_slice(&v),
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
    fn bytes_mut_grows_from_empty_and_keeps_prior_contents() {
        for prior in [&b""[..], b"\xee", &[7; 100]] {
            let mut buf = bytes::BytesMut::new();
            buf.extend_from_slice(prior);
            let mut expected = prior.to_vec();
            {
                let mut w = Writer::new(&mut buf);
                for i in 0..3000u32 {
                    w.put_varint(i * 7919);
                    reference_varint(i * 7919, &mut expected);
                    w.put_bytes(&i.to_le_bytes()[..(i % 5) as usize]);
                    expected.extend_from_slice(&i.to_le_bytes()[..(i % 5) as usize]);
                    assert_eq!(w.len(), expected.len());
                }
            }
            assert_eq!(&buf[..], &expected[..]);
        }
    }

    #[test]
    fn bytes_mut_after_split_writes_past_its_new_start() {
        // A `BytesMut` whose view starts inside its allocation, as an RPC
        // write buffer is after `split_to` sends a frame.
        let mut buf = bytes::BytesMut::with_capacity(64);
        buf.extend_from_slice(b"sent");
        let sent = buf.split_to(4);
        buf.extend_from_slice(b"a");
        Writer::new(&mut buf).put_bytes(b"bc");
        crate::encode_into(&String::from("de"), &mut buf);
        assert_eq!(&buf[..], b"abc\x02de");
        assert_eq!(&sent[..], b"sent");
    }

    /// Claims one byte and writes 100: what a wrong hand-written impl might do.
    struct Liar;
    impl crate::Wire for Liar {
        const MIN_LEN: usize = 0;
        fn encoded_len(&self) -> usize {
            1
        }
        fn encode(&self, w: &mut Writer<'_>) {
            for i in 0..100 {
                w.put_u8(i);
            }
        }
        fn decode(_: &mut crate::Reader<'_>) -> crate::Result<Self> {
            Ok(Liar)
        }
    }

    #[test]
    fn buf_mut_in_place_through_a_copy_and_after_a_lie() {
        let value = vec![String::from("abc"); 3];
        let bytes = crate::to_bytes(&value);
        // In place: the chunk of a slice is the whole rest of it.
        let mut array = [0u8; 64];
        let mut slice = &mut array[..];
        crate::encode_into_buf_mut(&value, &mut slice);
        let left = slice.len();
        assert_eq!(left, 64 - bytes.len());
        assert_eq!(&array[..bytes.len()], &bytes[..]);
        // Through a copy: the first chunk of a chain is too short.
        let (mut a, mut b) = ([0u8; 4], [0u8; 60]);
        let mut chain = bytes::BufMut::chain_mut(&mut a[..], &mut b[..]);
        crate::encode_into_buf_mut(&value, &mut chain);
        assert_eq!(&a[..], &bytes[..4]);
        assert_eq!(&b[..bytes.len() - 4], &bytes[4..]);
        // A lying `encoded_len` spills to a `Vec`, then is copied whole.
        let mut out = Vec::new();
        bytes::BufMut::put_u8(&mut out, 0xff);
        crate::encode_into_buf_mut(&Liar, &mut out);
        assert_eq!(out.len(), 101);
        assert_eq!(out[0], 0xff);
        assert!(out[1..].iter().copied().eq(0..100));
        let mut liar_mut = bytes::BytesMut::new();
        crate::encode_into(&Liar, &mut liar_mut);
        assert!(liar_mut.iter().copied().eq(0..100));
    }

    #[test]
    #[should_panic]
    fn buf_mut_too_short_panics() {
        let mut array = [0u8; 3];
        crate::encode_into_buf_mut(&String::from("abcd"), &mut &mut array[..]);
    }

    #[test]
    fn writer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Writer<'_>>();
    }
}
