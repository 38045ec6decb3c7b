//! The built-in scalar types of spec §4, and every fact about them.
//!
//! This is the one table of the built-in types: their keywords, whether they
//! are integers, floats, `bool` or `string`, their wire width (wire.md §1),
//! the range of the integers and which of them may be an enum base. Every
//! other table about the built-in types (the model's layout, gs2rust's Rust
//! spelling, annotation checks, suggestions) derives from it, so a new scalar
//! is one row here, its keyword in the lexer's one `Scalar` token, and one
//! Rust spelling in each back end.

use std::fmt;

/// What kind of value a scalar holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarClass {
    /// `bool`: one byte, `00` or `01`.
    Bool,
    /// A fixed-width two's-complement or unsigned integer.
    Int {
        /// Whether it is signed.
        signed: bool,
        /// Its width in bytes (1, 2, 4 or 8).
        bytes: u8,
    },
    /// An IEEE-754 float.
    Float {
        /// Its width in bytes (4 or 8).
        bytes: u8,
    },
    /// UTF-8 text with a varint length prefix.
    String,
}

macro_rules! scalars {
    ($($(#[$doc:meta])* $name:ident = $keyword:literal, $class:expr;)*) => {
        /// A built-in type: the integers, the floats, `bool` and `string`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "lowercase"))]
        pub enum Scalar {
            $($(#[$doc])* $name,)*
        }

        impl Scalar {
            /// Every scalar, in the order of the spec.
            pub const ALL: &'static [Scalar] = &[$(Scalar::$name),*];

            /// The keyword (`uint32`).
            pub const fn keyword(self) -> &'static str {
                match self {
                    $(Scalar::$name => $keyword,)*
                }
            }

            /// What kind of value it holds.
            pub const fn class(self) -> ScalarClass {
                match self {
                    $(Scalar::$name => $class,)*
                }
            }
        }
    };
}

scalars! {
    /// `bool`
    Bool = "bool", ScalarClass::Bool;
    /// `byte`: unsigned 8-bit.
    Byte = "byte", ScalarClass::Int { signed: false, bytes: 1 };
    /// `sbyte`: signed 8-bit.
    SByte = "sbyte", ScalarClass::Int { signed: true, bytes: 1 };
    /// `int16`
    Int16 = "int16", ScalarClass::Int { signed: true, bytes: 2 };
    /// `uint16`
    UInt16 = "uint16", ScalarClass::Int { signed: false, bytes: 2 };
    /// `int32`
    Int32 = "int32", ScalarClass::Int { signed: true, bytes: 4 };
    /// `uint32`
    UInt32 = "uint32", ScalarClass::Int { signed: false, bytes: 4 };
    /// `int64`
    Int64 = "int64", ScalarClass::Int { signed: true, bytes: 8 };
    /// `uint64`
    UInt64 = "uint64", ScalarClass::Int { signed: false, bytes: 8 };
    /// `float32`
    Float32 = "float32", ScalarClass::Float { bytes: 4 };
    /// `float64`
    Float64 = "float64", ScalarClass::Float { bytes: 8 };
    /// `string`
    String = "string", ScalarClass::String;
}

impl Scalar {
    /// The scalar a keyword names.
    pub fn from_keyword(keyword: &str) -> Option<Scalar> {
        Scalar::ALL.iter().copied().find(|s| s.keyword() == keyword)
    }

    /// The number of bytes every value encodes to; `None` for `string`,
    /// whose length varies.
    pub const fn fixed_len(self) -> Option<u64> {
        match self.class() {
            ScalarClass::Bool => Some(1),
            ScalarClass::Int { bytes, .. } | ScalarClass::Float { bytes } => Some(bytes as u64),
            ScalarClass::String => None,
        }
    }

    /// The fewest bytes a value encodes to (`string`: its empty length prefix).
    pub const fn min_len(self) -> u64 {
        match self.fixed_len() {
            Some(n) => n,
            None => 1,
        }
    }

    /// Whether it is one of the integer types.
    pub const fn is_integer(self) -> bool {
        matches!(self.class(), ScalarClass::Int { .. })
    }

    /// Whether it is `float32` or `float64`.
    pub const fn is_float(self) -> bool {
        matches!(self.class(), ScalarClass::Float { .. })
    }

    /// The smallest and largest value of an integer type; `None` for the others.
    pub const fn int_range(self) -> Option<(i128, i128)> {
        match self.class() {
            ScalarClass::Int { signed, bytes } => {
                let bits = 8 * bytes as u32;
                Some(if signed {
                    (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
                } else {
                    (0, (1i128 << bits) - 1)
                })
            }
            _ => None,
        }
    }

    /// Whether an enum may be based on it (spec §5): the integers of at most
    /// 32 bits.
    pub const fn is_enum_base(self) -> bool {
        matches!(self.class(), ScalarClass::Int { bytes, .. } if bytes <= 4)
    }

    /// The scalars an enum may be based on, in the order of the spec.
    pub fn enum_bases() -> impl Iterator<Item = Scalar> {
        Scalar::ALL.iter().copied().filter(|s| s.is_enum_base())
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_match_the_spec() {
        assert_eq!(Scalar::ALL.len(), 12);
        assert_eq!(Scalar::from_keyword("uint16"), Some(Scalar::UInt16));
        assert_eq!(Scalar::from_keyword("int"), None);
        assert_eq!(Scalar::Byte.int_range(), Some((0, 255)));
        assert_eq!(Scalar::SByte.int_range(), Some((-128, 127)));
        assert_eq!(
            Scalar::UInt64.int_range(),
            Some((0, u128::from(u64::MAX) as i128))
        );
        assert_eq!(
            Scalar::Int64.int_range(),
            Some((i64::MIN.into(), i64::MAX.into()))
        );
        assert_eq!(Scalar::Float32.int_range(), None);
        assert_eq!(Scalar::String.fixed_len(), None);
        assert_eq!(Scalar::String.min_len(), 1);
        assert_eq!(Scalar::Float64.fixed_len(), Some(8));
        let bases: Vec<&str> = Scalar::enum_bases().map(Scalar::keyword).collect();
        assert_eq!(
            bases,
            ["byte", "sbyte", "int16", "uint16", "int32", "uint32"]
        );
    }
}
