//! The `flags!` macro, used the way generated code uses it.

use gscluster::{Wire, from_bytes, to_bytes};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Rights(u8);
impl Rights {
    pub const NONE: Self = Self(0);
    pub const READ: Self = Self(1);
    pub const WRITE: Self = Self(2);
}
::gscluster::flags!(Rights(u8) { NONE, READ, WRITE });

#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Wide(u32);
impl Wide {
    pub const LOW: Self = Self(1);
    pub const HIGH: Self = Self(0x8000_0000);
    pub const BOTH: Self = Self(0x8000_0001);
}
::gscluster::flags!(Wide(u32) { LOW, HIGH, BOTH, });

#[test]
fn set_operations() {
    assert_eq!(Rights::empty(), Rights::NONE);
    assert!(Rights::empty().is_empty());
    assert_eq!(Rights::all().bits(), 3);
    assert_eq!(Rights::from_bits_retain(0x8).bits(), 0x8);
    let rw = Rights::READ | Rights::WRITE;
    assert!(rw.contains(Rights::READ));
    assert!(rw.contains(Rights::NONE));
    assert!(!Rights::READ.contains(rw));
    assert!(rw.intersects(Rights::WRITE));
    assert_eq!(rw & Rights::WRITE, Rights::WRITE);
    assert_eq!(rw ^ Rights::WRITE, Rights::READ);
    assert_eq!((!Rights::READ).bits(), 0xfe);
    assert_eq!(!Rights::READ & Rights::all(), Rights::WRITE);

    let mut r = Rights::empty();
    r.insert(Rights::READ);
    r |= Rights::WRITE;
    assert_eq!(r, Rights::all());
    r.remove(Rights::READ);
    assert_eq!(r, Rights::WRITE);
    r &= Rights::READ;
    assert!(r.is_empty());
    r ^= Rights::READ;
    assert_eq!(r, Rights::READ);
    r.toggle(Rights::all());
    assert_eq!(r, Rights::WRITE);
    assert_eq!(Rights::default(), Rights::empty());
    assert_eq!(Wide::all().bits(), 0x8000_0001);
}

#[test]
fn debug_names_the_set_flags() {
    assert_eq!(format!("{:?}", Rights::empty()), "Rights(empty)");
    assert_eq!(format!("{:?}", Rights::READ), "Rights(READ)");
    assert_eq!(
        format!("{:?}", Rights::READ | Rights::WRITE),
        "Rights(READ | WRITE)"
    );
    assert_eq!(
        format!("{:?}", Rights::from_bits_retain(0x8)),
        "Rights(0x8)"
    );
    assert_eq!(
        format!("{:?}", Rights::from_bits_retain(0x9)),
        "Rights(READ | 0x8)"
    );
    assert_eq!(format!("{:?}", Wide::LOW), "Wide(LOW)");
    // A composite value that is exactly the set prints alone.
    assert_eq!(format!("{:?}", Wide::all()), "Wide(BOTH)");
}

/// Named values that combine others, and some that are no single bit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Access(i16);
impl Access {
    pub const READ: Self = Self(1);
    pub const WRITE: Self = Self(2);
    pub const READ_WRITE: Self = Self(3);
    pub const EXEC: Self = Self(4);
    pub const MODE: Self = Self(0x30);
    pub const ALL: Self = Self(0x37);
    pub const SIGN: Self = Self(i16::MIN);
}
::gscluster::flags!(Access(i16) { READ, WRITE, READ_WRITE, EXEC, MODE, ALL, SIGN });

#[test]
fn debug_of_composite_values_is_minimal() {
    let debug = |bits: i16| format!("{:?}", Access::from_bits_retain(bits));
    // Exactly a named value: that name alone, not its parts with it.
    assert_eq!(debug(3), "Access(READ_WRITE)");
    assert_eq!(debug(0x37), "Access(ALL)");
    assert_eq!(debug(0x30), "Access(MODE)");
    // Otherwise the single bits, in declaration order...
    assert_eq!(debug(5), "Access(READ | EXEC)");
    assert_eq!(debug(7), "Access(READ | WRITE | EXEC)");
    // ...then named values made of the bits left, then the rest in hex.
    assert_eq!(debug(0x31), "Access(READ | MODE)");
    assert_eq!(debug(0x11), "Access(READ | 0x10)");
    assert_eq!(debug(0x1c8), "Access(0x1c8)");
    assert_eq!(debug(0x1c9), "Access(READ | 0x1c8)");
    // A signed base prints its bits, not a sign-extended number.
    assert_eq!(debug(i16::MIN), "Access(SIGN)");
    assert_eq!(debug(i16::MIN | 2), "Access(WRITE | SIGN)");
    assert_eq!(
        debug(-1),
        "Access(READ | WRITE | EXEC | SIGN | MODE | 0x7fc8)"
    );
    assert_eq!(debug(0), "Access(empty)");
}

#[test]
fn wire_is_the_base() {
    assert_eq!(Rights::MIN_LEN, 1);
    assert_eq!(to_bytes(&(Rights::READ | Rights::WRITE)), [3]);
    assert_eq!(from_bytes::<Rights>(&[0xff]).unwrap().bits(), 0xff);
    assert_eq!(to_bytes(&Wide::HIGH), [0, 0, 0, 0x80]);
    assert_eq!(from_bytes::<Wide>(&[1, 0, 0, 0x80]).unwrap(), Wide::BOTH);
    assert!(from_bytes::<Wide>(&[1, 0, 0]).is_err());
    let v = vec![
        Rights::READ,
        Rights::empty(),
        Rights::from_bits_retain(0x80),
    ];
    let bytes = to_bytes(&v);
    assert_eq!(bytes, [3, 1, 0, 0x80]);
    assert_eq!(from_bytes::<Vec<Rights>>(&bytes).unwrap(), v);
}
