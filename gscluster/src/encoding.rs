//! Helpers that generated code calls, and hand-written [`Wire`] impls may use.
//!
//! Not part of the documented API (the module is `#[doc(hidden)]`, as
//! `prost::encoding` is to prost's users): its items change with the code
//! gs2rust generates, and gs2rust and gscluster are released together.

use crate::error::DecodeError;
pub use crate::flags::fmt_flags;
use crate::reader::Reader;
use crate::wire::{Filling, Wire, elements_of};
pub use crate::writer::{len_prefix_len, varint_len};

/// Decodes an enum from its base integer; a number that names no value of the
/// enum is an [`InvalidEnum`](crate::DecodeErrorKind::InvalidEnum) error at its offset.
///
/// Generated enums call it as `decode_enum(r, "Status", Self::try_from)`.
#[inline]
pub fn decode_enum<B, E>(
    r: &mut Reader<'_>,
    name: &'static str,
    from_base: impl FnOnce(B) -> Result<E, B>,
) -> Result<E, DecodeError>
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

/// A boxed array built in place on the heap, element `i` being `element(i)`.
///
/// Generated `Default` impls build their boxed array fields with it
/// (`Box::new([..])` or `Box::<[T; N]>::default()` would build the array on
/// the stack first, and std has no `Default` for arrays over 32 elements),
/// and generated `Clone` impls those of types that are not `Copy` (std's
/// `Clone` copies `Copy` contents in place, but clones others on the stack).
#[inline]
pub fn boxed_array<T, const N: usize>(mut element: impl FnMut(usize) -> T) -> Box<[T; N]> {
    let mut boxed = Box::<[T; N]>::new_uninit();
    let mut fill = Filling {
        dst: elements_of(&mut boxed),
        init: 0,
    };
    while fill.init < N {
        let value = element(fill.init);
        fill.push(value);
    }
    fill.finish();
    // SAFETY: the loop initialized all `N` elements (a panic in `element`
    // would have dropped those before it instead).
    unsafe { boxed.assume_init() }
}

/// A list mapped element by element: for the `Clone` of generated records
/// with lists of boxed arrays, whose elements std would clone on the stack.
#[inline]
pub fn map_list<T, U>(items: &[T], f: impl FnMut(&T) -> U) -> Vec<U> {
    items.iter().map(f).collect()
}
