//! The [`flags!`](crate::flags!) macro: set operations, `Debug` and [`Wire`](crate::Wire)
//! for the newtypes generated for `@Flag` enums.

/// Implements set operations, `Debug` and [`Wire`](crate::Wire) for a flag set: a
/// tuple struct over an integer base type, with one associated constant per flag.
///
/// ```
/// #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
/// pub struct Rights(u8);
/// impl Rights {
///     pub const NONE: Self = Self(0);
///     pub const READ: Self = Self(1);
///     pub const WRITE: Self = Self(2);
/// }
/// gscluster::flags!(Rights(u8) { NONE, READ, WRITE });
///
/// let rw = Rights::READ | Rights::WRITE;
/// assert!(rw.contains(Rights::WRITE));
/// assert_eq!(rw, Rights::all());
/// assert_eq!(format!("{rw:?}"), "Rights(READ | WRITE)");
/// assert_eq!(format!("{:?}", Rights::from_bits_retain(0x9)), "Rights(READ | 0x8)");
/// assert_eq!(gscluster::to_bytes(&rw), [3]);
/// ```
///
/// `Debug` names the set readably: a named value that is exactly the set (so a
/// composite such as `READ_WRITE = 3` prints alone, not with its parts), else the
/// named single bits, then the named values covering the remaining bits, then
/// any bits left over in hex; the empty set is `empty`.
///
/// Any bits are legal on the wire: the set encodes and decodes as its base type.
/// `!` is the plain bitwise not of the base (it may set unnamed bits); intersect
/// with [`all`](#method.all) to keep the named ones.
#[macro_export]
macro_rules! flags {
    ($name:ident ( $base:ty ) { $($flag:ident),* $(,)? }) => {
        impl $name {
            /// The empty set.
            #[inline]
            pub const fn empty() -> Self {
                Self(0)
            }

            /// The union of all named flags.
            #[inline]
            pub const fn all() -> Self {
                Self(0 $(| Self::$flag.0)*)
            }

            /// The raw bits.
            #[inline]
            pub const fn bits(self) -> $base {
                self.0
            }

            /// The set with exactly these bits, named or not.
            #[inline]
            pub const fn from_bits_retain(bits: $base) -> Self {
                Self(bits)
            }

            /// Whether every bit of `other` is set in `self`.
            #[inline]
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether `self` and `other` share a bit.
            #[inline]
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// Whether no bit is set.
            #[inline]
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Sets the bits of `other`.
            #[inline]
            pub fn insert(&mut self, other: Self) {
                self.0 |= other.0;
            }

            /// Clears the bits of `other`.
            #[inline]
            pub fn remove(&mut self, other: Self) {
                self.0 &= !other.0;
            }

            /// Flips the bits of `other`.
            #[inline]
            pub fn toggle(&mut self, other: Self) {
                self.0 ^= other.0;
            }
        }

        impl ::core::ops::BitOr for $name {
            type Output = Self;
            #[inline]
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl ::core::ops::BitAnd for $name {
            type Output = Self;
            #[inline]
            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl ::core::ops::BitXor for $name {
            type Output = Self;
            #[inline]
            fn bitxor(self, other: Self) -> Self {
                Self(self.0 ^ other.0)
            }
        }

        impl ::core::ops::Not for $name {
            type Output = Self;
            #[inline]
            fn not(self) -> Self {
                Self(!self.0)
            }
        }

        impl ::core::ops::BitOrAssign for $name {
            #[inline]
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl ::core::ops::BitAndAssign for $name {
            #[inline]
            fn bitand_assign(&mut self, other: Self) {
                self.0 &= other.0;
            }
        }

        impl ::core::ops::BitXorAssign for $name {
            #[inline]
            fn bitxor_assign(&mut self, other: Self) {
                self.0 ^= other.0;
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                // The bits as a `u64`, without the sign extension of a signed base.
                const fn wide(bits: $base) -> u64 {
                    (bits as u64) & (u64::MAX >> (64 - 8 * ::core::mem::size_of::<$base>()))
                }
                $crate::encoding::fmt_flags(
                    f,
                    ::core::stringify!($name),
                    wide(self.0),
                    &[$((::core::stringify!($flag), wide(Self::$flag.0))),*],
                )
            }
        }

        impl $crate::Wire for $name {
            const MIN_LEN: usize = <$base as $crate::Wire>::MIN_LEN;

            #[inline]
            fn encoded_len(&self) -> usize {
                <$base as $crate::Wire>::encoded_len(&self.0)
            }

            #[inline]
            fn encode(&self, w: &mut $crate::Writer<'_>) {
                <$base as $crate::Wire>::encode(&self.0, w)
            }

            #[inline]
            fn decode(
                r: &mut $crate::Reader<'_>,
            ) -> ::core::result::Result<Self, $crate::DecodeError> {
                ::core::result::Result::map(<$base as $crate::Wire>::decode(r), Self)
            }
        }
    };
}

/// Writes `Name(…)` for a flag set with these `bits`, given the named values
/// in declaration order (see [`flags!`](crate::flags!) for the format).
#[doc(hidden)]
pub fn fmt_flags(
    f: &mut core::fmt::Formatter<'_>,
    name: &str,
    bits: u64,
    named: &[(&str, u64)],
) -> core::fmt::Result {
    f.write_str(name)?;
    f.write_str("(")?;
    if bits == 0 {
        f.write_str("empty")?;
    } else if let Some((flag, _)) = named.iter().find(|&&(_, value)| value == bits) {
        f.write_str(flag)?;
    } else {
        let mut first = true;
        let mut term = |f: &mut core::fmt::Formatter<'_>, flag: &dyn core::fmt::Display| {
            if !core::mem::take(&mut first) {
                f.write_str(" | ")?;
            }
            write!(f, "{flag}")
        };
        let mut rest = bits;
        // Single bits first, then multi-bit values within what they left (each
        // prints only if all its bits are still unnamed, so nothing is named twice).
        for single in [true, false] {
            for &(flag, value) in named {
                if value != 0 && value.is_power_of_two() == single && rest & value == value {
                    term(f, &flag)?;
                    rest &= !value;
                }
            }
        }
        if rest != 0 {
            term(f, &format_args!("{rest:#x}"))?;
        }
    }
    f.write_str(")")
}
