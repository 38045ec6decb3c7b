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
/// assert_eq!(gscluster::to_bytes(&rw), [3]);
/// ```
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
                f.write_str(::core::stringify!($name))?;
                f.write_str("(")?;
                if self.0 == 0 {
                    f.write_str("empty")?;
                } else {
                    let mut first = true;
                    let mut rest = self.0;
                    $(
                        let bits = Self::$flag.0;
                        if bits != 0 && self.0 & bits == bits {
                            if !first {
                                f.write_str(" | ")?;
                            }
                            first = false;
                            f.write_str(::core::stringify!($flag))?;
                            rest &= !bits;
                        }
                    )*
                    if rest != 0 {
                        if !first {
                            f.write_str(" | ")?;
                        }
                        ::core::write!(f, "{:#x}", rest)?;
                    }
                }
                f.write_str(")")
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
