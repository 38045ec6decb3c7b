//! The [`Wire`] trait: a type's encoding, its exact size, and its decoding.

use std::mem::MaybeUninit;
use std::{ptr, slice};

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
        let mut array = MaybeUninit::<[Self; N]>::uninit();
        Self::decode_into_slice(r, elements_of(&mut array))?;
        // SAFETY: `decode_into_slice` returned `Ok`, so it initialized all `N`
        // elements.
        Ok(unsafe { array.assume_init() })
    }

    /// Decodes `dst.len()` values into `dst`, in order, in place: an array's
    /// elements straight into their final memory (on the heap for a boxed
    /// array), without passing through the stack.
    ///
    /// On `Ok` every element of `dst` is initialized; on `Err` none is (the
    /// values decoded before the error are dropped).
    #[doc(hidden)]
    #[inline]
    fn decode_into_slice(
        r: &mut Reader<'_>,
        dst: &mut [MaybeUninit<Self>],
    ) -> Result<(), DecodeError> {
        let mut fill = Filling { dst, init: 0 };
        while fill.init < fill.dst.len() {
            let value = Self::decode(r)?;
            fill.push(value);
        }
        fill.finish();
        Ok(())
    }

    /// Decodes one value into a new heap allocation (what `Box<Self>` decodes
    /// as). Arrays decode in place there, so that a large array is never on
    /// the stack, and check the input can hold them before allocating.
    #[doc(hidden)]
    #[inline]
    fn decode_boxed(r: &mut Reader<'_>) -> Result<Box<Self>, DecodeError> {
        Self::decode(r).map(Box::new)
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

/// The elements of an uninitialized array, as a slice of uninitialized values.
#[inline]
pub(crate) fn elements_of<T, const N: usize>(
    array: &mut MaybeUninit<[T; N]>,
) -> &mut [MaybeUninit<T>] {
    // SAFETY: `MaybeUninit<[T; N]>` has the layout of `[MaybeUninit<T>; N]`
    // (arrays are their elements back to back, and `MaybeUninit` has its
    // contents' layout), and every bit pattern, uninitialized included, is a
    // valid `MaybeUninit<T>`. The slice borrows `array` mutably.
    unsafe { slice::from_raw_parts_mut(array.as_mut_ptr().cast::<MaybeUninit<T>>(), N) }
}

/// A slice being filled from the front: drops its initialized prefix if dropped
/// before [`finish`](Self::finish) (on a decode error, or a panic in a
/// hand-written `decode` or in a `Default` or `Clone`).
pub(crate) struct Filling<'a, T> {
    pub(crate) dst: &'a mut [MaybeUninit<T>],
    /// `dst[..init]` are initialized; `init <= dst.len()`.
    pub(crate) init: usize,
}

impl<T> Filling<'_, T> {
    /// Initializes the next element. Panics if all are (then `value` is dropped).
    #[inline]
    pub(crate) fn push(&mut self, value: T) {
        self.dst[self.init].write(value);
        self.init += 1;
    }

    /// Hands the initialized elements over to the owner of the slice.
    #[inline]
    pub(crate) fn finish(self) {
        debug_assert_eq!(self.init, self.dst.len());
        std::mem::forget(self);
    }
}

impl<T> Drop for Filling<'_, T> {
    fn drop(&mut self) {
        let prefix = ptr::slice_from_raw_parts_mut(self.dst.as_mut_ptr().cast::<T>(), self.init);
        // SAFETY: `dst[..init]` are initialized (the invariant of `init`) and are
        // dropped only here, once: `finish` forgets the guard instead.
        unsafe { ptr::drop_in_place(prefix) }
    }
}
