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
    assert_eq!(format!("{:?}", Wide::all()), "Wide(LOW | HIGH | BOTH)");
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
