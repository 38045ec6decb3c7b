//! The [`Wire`] trait: a type's encoding, its exact size, and its decoding.

use std::mem::{ManuallyDrop, MaybeUninit};
use std::ptr;

use crate::error::DecodeError;
use crate::reader::Reader;
use crate::writer::Writer;

/// A type with a wire encoding.
///
/// A record encodes as its fields' encodings in declaration order, with no tags and
/// no field count. Generated code implements this trait for records, enums and flag
/// sets; this crate implements it for the primitives, `String`, `Vec<T>`, `[T; N]`,
/// `Box<T>`, `()` and tuples.
pub trait Wire: Sized {
    /// The fewest bytes any value of the type encodes to (0 for an empty record).
    ///
    /// Used to reject a list count the remaining input could not hold before
    /// anything is allocated. It must not exceed the true minimum, or valid input
    /// is rejected.
    const MIN_LEN: usize;

    /// The exact number of bytes [`encode`](Self::encode) writes.
    fn encoded_len(&self) -> usize;

    /// Appends the encoding of `self`.
    fn encode(&self, w: &mut Writer<'_>);

    /// Decodes one value.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// The encoded size of the elements of a list or array (without a count).
    #[doc(hidden)]
    #[inline]
    fn encoded_len_slice(items: &[Self]) -> usize {
        items.iter().map(Self::encoded_len).sum()
    }

    /// Encodes the elements of a list or array (without a count).
    #[doc(hidden)]
    #[inline]
    fn encode_slice(items: &[Self], w: &mut Writer<'_>) {
        for item in items {
            item.encode(w);
        }
    }

    /// Decodes `n` elements of a list whose count has been read. Checks `n` against
    /// the remaining input (and the limits) before allocating.
    #[doc(hidden)]
    #[inline]
    fn decode_vec(r: &mut Reader<'_>, n: usize) -> Result<Vec<Self>, DecodeError> {
        r.check_count(n, Self::MIN_LEN)?;
        // Room for the elements the input can back (all of them, for honest
        // input); the rest, if any, grow the vector as they decode.
        let zero_sized = size_of::<Self>() == 0;
        let reserved = if zero_sized {
            n
        } else {
            r.claim(n, Self::MIN_LEN)
        };
        let mut v = Vec::<Self>::with_capacity(reserved);
        // Decode through a local copy of the reader, which the optimizer can keep
        // in registers (no reader method takes it out of line), written back at the
        // end. After an error the reader's state is unspecified anyway.
        let mut local = r.clone();
        // One loop, so that `Self::decode` has one call site here: with two (one
        // for the preallocated elements, one for the rest) the optimizer stopped
        // inlining an `#[inline]` record decoder into either, and the decoded
        // records came back through memory (GameMessage decode 95 -> 133 ns).
        for i in 0..n {
            let item = Self::decode(&mut local)?;
            if !zero_sized && i < reserved {
                local.release(Self::MIN_LEN);
            }
            if v.len() == v.capacity() {
                // Only past the preallocated elements (`i >= reserved`).
                grow_by_half(&mut v);
            }
            // SAFETY: `len < capacity` (ensured just above), so the slot at `len`
            // is in bounds and unused; writing it initializes items `0..=len`, so
            // the new length is sound, and on an early return `v` drops exactly
            // those. Writing in place rather than `push`ing spares a second
            // capacity check and lets the item be built directly in the buffer.
            unsafe {
                v.as_mut_ptr().add(v.len()).write(item);
                v.set_len(v.len() + 1);
            }
        }
        *r = local;
        Ok(v)
    }

    /// Decodes the `N` elements of an array.
    #[doc(hidden)]
    #[inline]
    fn decode_array<const N: usize>(r: &mut Reader<'_>) -> Result<[Self; N], DecodeError> {
        decode_array_each(r)
    }
}

/// Grows a list past the elements the input backed when it began: by half its
/// length, exactly (a plain `push` would double, and reserve four elements for
/// the first one), so elements the input could not back buy little room.
#[cold]
#[inline(never)]
fn grow_by_half<T>(v: &mut Vec<T>) {
    v.reserve_exact((v.len() / 2).max(1));
}

/// An array being filled: drops its initialized prefix if dropped before it is full
/// (on a decode error, or a panic in a hand-written `decode`).
struct PartialArray<T, const N: usize> {
    items: [MaybeUninit<T>; N],
    /// `items[..init]` are initialized; `init <= N`.
    init: usize,
}

impl<T, const N: usize> Drop for PartialArray<T, N> {
    fn drop(&mut self) {
        let prefix = ptr::slice_from_raw_parts_mut(self.items.as_mut_ptr().cast::<T>(), self.init);
        // SAFETY: `items[..init]` are initialized (the invariant of `init`) and are
        // dropped only here, once: the full array is taken out through
        // `ManuallyDrop`, which never runs this.
        unsafe { ptr::drop_in_place(prefix) }
    }
}

/// Decodes `N` values one by one, without requiring `Default` or `Copy`.
///
/// Arrays of elements that may encode to no bytes do not draw on
/// [`Limits::max_zero_sized_len`](crate::Limits::max_zero_sized_len): their
/// length is the type's, not read from the input, so they cost the same
/// whatever the input.
#[inline]
pub(crate) fn decode_array_each<T: Wire, const N: usize>(
    r: &mut Reader<'_>,
) -> Result<[T; N], DecodeError> {
    let mut partial = PartialArray::<T, N> {
        items: [const { MaybeUninit::uninit() }; N],
        init: 0,
    };
    while partial.init < N {
        let value = T::decode(r)?;
        partial.items[partial.init].write(value);
        partial.init += 1;
    }
    let full = ManuallyDrop::new(partial);
    // SAFETY: all `N` items are initialized (`init == N`), and
    // `[MaybeUninit<T>; N]` has the layout of `[T; N]`. `full` is never dropped, so
    // the values are owned by the returned array alone.
    Ok(unsafe { ptr::from_ref(&full.items).cast::<[T; N]>().read() })
}
