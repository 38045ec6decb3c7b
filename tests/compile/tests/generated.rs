//! The generated code at work: layouts, round trips, enums and flags, limits on
//! hostile input, derives, names, and the method tables of contracts.

use gscluster::{DecodeErrorKind, Limits, from_bytes, from_bytes_with_limits, to_bytes};
use gslang_compile_tests::codegen::shapes::{
    Containers, Empty, Keywords, Perm, Ping, Plain, Pong, Scalars, ServiceMethod, Short, Signed,
    Small, Tree,
};
use gslang_compile_tests::codegen::shapes_base::Point;
use gslang_compile_tests::codegen::std_names;

fn scalars() -> Scalars {
    Scalars {
        a: true,
        b: 200,
        c: -1,
        d: -2,
        e: 0x1234,
        f: -2,
        g: 0x0102_0304,
        h: -3,
        i: 1,
        j: 1.5,
        k: -0.5,
        l: "héllo".into(),
    }
}

#[test]
fn scalars_layout_is_the_spec_vectors_in_field_order() {
    let mut expected = vec![0x01, 0xc8, 0xff, 0xfe, 0xff, 0x34, 0x12];
    expected.extend([0xfe, 0xff, 0xff, 0xff, 0x04, 0x03, 0x02, 0x01]);
    expected.extend((-3i64).to_le_bytes());
    expected.extend([1, 0, 0, 0, 0, 0, 0, 0]);
    expected.extend([0x00, 0x00, 0xc0, 0x3f]);
    expected.extend([0, 0, 0, 0, 0, 0, 0xe0, 0xbf]);
    expected.extend([0x06, 0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
    let bytes = to_bytes(&scalars());
    assert_eq!(bytes, expected);
    assert_eq!(from_bytes::<Scalars>(&bytes), Ok(scalars()));
}

fn containers() -> Containers {
    let mut c = Containers {
        bytes: vec![1, 2, 3],
        strings: vec!["a".into(), String::new()],
        nested: vec![vec![0xaa], vec![]],
        floats: vec![1.0, -2.5],
        doubles: vec![f64::MAX],
        ints: vec![i64::MIN, 0],
        bools: vec![true, false],
        fixed: [1.0, 2.0, 3.0, 4.0],
        grid: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
        mixed: [
            vec!["x".into()],
            vec![],
            vec![],
            vec!["y".into(), "z".into()],
        ],
        records: vec![scalars()],
        fixed_records: [Point { x: 1.0, y: 2.0 }, Point { x: 3.0, y: 4.0 }],
        enums: vec![Small::C, Small::A],
        flags: [Perm::READ | Perm::WRITE, Perm::from_bits_retain(0x8000)],
        empties: vec![Empty {}, Empty {}],
        ..Containers::default()
    };
    c.big[39] = 7;
    c.bigger[999] = 0xbeef;
    c
}

#[test]
fn containers_round_trip() {
    let value = containers();
    let bytes = to_bytes(&value);
    assert_eq!(bytes.len(), gscluster::Wire::encoded_len(&value));
    assert_eq!(from_bytes::<Containers>(&bytes), Ok(value));
}

fn rejects_every_truncation<T: gscluster::Wire + std::fmt::Debug>(value: &T) {
    let bytes = to_bytes(value);
    for cut in 0..bytes.len() {
        assert!(
            from_bytes::<T>(&bytes[..cut]).is_err(),
            "accepted a cut at {cut}"
        );
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    let err = from_bytes::<T>(&trailing).expect_err("trailing byte");
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::TrailingBytes { count: 1 }
    ));
}

#[test]
fn every_truncation_and_any_trailing_byte_is_rejected() {
    rejects_every_truncation(&scalars());
    rejects_every_truncation(&containers());
    rejects_every_truncation(&tree(5));
}

#[test]
fn default_values_of_large_arrays() {
    let c = Containers::default();
    assert_eq!(c.big, [0; 40]);
    assert_eq!(c.bigger.len(), 1000);
    assert_eq!(from_bytes::<Containers>(&to_bytes(&c)), Ok(c));
}

#[test]
fn enums_reject_unknown_values() {
    assert_eq!(from_bytes::<Signed>(&[0x80]), Ok(Signed::Neg));
    assert_eq!(
        from_bytes::<Short>(&(-300i16).to_le_bytes()),
        Ok(Short::Low)
    );
    let err = from_bytes::<Small>(&[3]).expect_err("no value 3");
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::InvalidEnum { value: 3, .. }
    ));
    assert_eq!(Small::default(), Small::A);
    assert_eq!(u8::from(Small::C), 2);
    assert_eq!(Small::try_from(9), Err(9));
}

#[test]
fn status_vector_of_the_spec() {
    use gslang_compile_tests::valid::spec_example::Status;
    assert_eq!(to_bytes(&Status::Online), [0x05, 0x00]);
    assert!(from_bytes::<Status>(&[0x09, 0x00]).is_err());
}

#[test]
fn flags_take_any_bits() {
    let all = from_bytes::<Perm>(&[0xff, 0xff]).expect("any bits are legal");
    assert_eq!(all.bits(), 0xffff);
    assert_eq!(to_bytes(&all), [0xff, 0xff]);
    let rw = Perm::READ | Perm::WRITE;
    assert!(rw.contains(Perm::WRITE));
    assert!(!rw.contains(Perm::EXEC));
    assert_eq!(format!("{rw:?}"), "Perm(READ | WRITE)");
}

#[test]
fn errors_name_the_field() {
    let mut bytes = to_bytes(&scalars());
    bytes[0] = 2;
    let err = from_bytes::<Scalars>(&bytes).expect_err("bool 02");
    assert_eq!(err.field(), Some("Scalars.A"));
    assert_eq!(err.offset(), 0);
    // Plain: ID (4 bytes), then Kind, a Signed enum with no value 5.
    let mut bytes = to_bytes(&Plain::default());
    bytes[4] = 5;
    let err = from_bytes::<Plain>(&bytes).expect_err("Signed has no 5");
    assert_eq!(err.field(), Some("Plain.Kind"));
    assert_eq!(err.offset(), 4);
    assert!(err.to_string().contains("Signed"), "{err}");
}

fn tree(depth: usize) -> Tree {
    let mut t = Tree {
        value: 0,
        children: vec![],
    };
    for i in 1..depth {
        t = Tree {
            value: i as i32,
            children: vec![t],
        };
    }
    t
}

/// A tree nested `depth` deep, encoded by hand (value 0, one child each).
fn deep_tree_bytes(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(depth * 5);
    for _ in 0..depth - 1 {
        bytes.extend([0, 0, 0, 0, 1]);
    }
    bytes.extend([0, 0, 0, 0, 0]);
    bytes
}

#[test]
fn recursive_types_within_the_limit() {
    let t = tree(50);
    assert_eq!(from_bytes::<Tree>(&to_bytes(&t)), Ok(t));
    let limits = Limits::DEFAULT.with_max_depth(300);
    assert!(from_bytes_with_limits::<Tree>(&deep_tree_bytes(250), limits).is_ok());
    let err = from_bytes::<Tree>(&deep_tree_bytes(101)).expect_err("past 100");
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::DepthLimit { max: 100 }
    ));
    assert!(from_bytes::<Tree>(&deep_tree_bytes(100)).is_ok());
}

#[test]
fn hostile_nesting_cannot_overflow_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let err = from_bytes::<Tree>(&deep_tree_bytes(200_000)).expect_err("too deep");
            assert!(matches!(err.kind(), DecodeErrorKind::DepthLimit { .. }));
            // Mutual recursion: Ping { Pongs: [Pong { Pings: [...], Depth }] }.
            let bytes = vec![1u8; 200_000];
            let err = from_bytes::<Ping>(&bytes).expect_err("too deep");
            assert!(
                matches!(err.kind(), DecodeErrorKind::DepthLimit { .. }),
                "{err}"
            );
        })
        .expect("thread starts");
    handle.join().expect("no stack overflow");
}

#[test]
fn zero_sized_elements_are_capped() {
    // A list of 2^32-1 empty records in five bytes.
    let err = from_bytes::<Vec<Empty>>(&[0xff, 0xff, 0xff, 0xff, 0x0f]).expect_err("capped");
    assert!(matches!(
        err.kind(),
        DecodeErrorKind::TooManyZeroSized { .. }
    ));
    // Within the cap is fine.
    assert_eq!(from_bytes::<Vec<Empty>>(&[3]).map(|v| v.len()), Ok(3));
}

#[test]
fn list_counts_are_checked_before_allocating() {
    let err =
        from_bytes::<Vec<Scalars>>(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0]).expect_err("too long");
    assert!(matches!(err.kind(), DecodeErrorKind::LengthTooLarge { .. }));
}

#[test]
fn derives_follow_the_fields() {
    // Plain and Point hold floats: Copy, not Eq. Tree and Pong hold lists:
    // Eq and Hash, not Copy.
    fn copy<T: Copy + Default + PartialEq>() {}
    copy::<Plain>();
    copy::<Point>();
    fn eq_hash<T: Eq + std::hash::Hash>() {}
    eq_hash::<Tree>();
    eq_hash::<Pong>();
    eq_hash::<Keywords>();
}

#[test]
fn keywords_and_std_names() {
    let k = Keywords {
        r#type: "t".into(),
        self_: 1,
        r#match: 2,
        crate_: true,
        super_: false,
        r#async: true,
    };
    assert_eq!(from_bytes::<Keywords>(&to_bytes(&k)), Ok(k));
    let d = std_names::Default {
        result: std_names::Result {
            ok: true,
            err: "no".into(),
        },
        vec: std_names::Vec {
            items: vec![std_names::String { value: "s".into() }],
        },
    };
    assert_eq!(from_bytes::<std_names::Default>(&to_bytes(&d)), Ok(d));
    assert_eq!(std_names::Ok::default(), std_names::Ok::Some);
}

#[test]
fn method_tables_follow_the_flattened_list() {
    assert_eq!(ServiceMethod::CONTRACT, "shapes.Service");
    assert_eq!(ServiceMethod::COUNT, 5);
    assert_eq!(ServiceMethod::from_id(0), Some(ServiceMethod::Ping));
    assert_eq!(ServiceMethod::Get.id(), 1);
    assert_eq!(ServiceMethod::from_id(5), None);
    assert_eq!(ServiceMethod::Fire.name(), "Fire");
    assert!(ServiceMethod::Fire.is_async());
    assert!(!ServiceMethod::Get.is_async());

    use gslang_compile_tests::valid::inheritance::DMethod;
    let ids: Vec<(&str, u16)> = (0..DMethod::COUNT)
        .filter_map(DMethod::from_id)
        .map(|m| (m.name(), m.id()))
        .collect();
    assert_eq!(ids, [("A1", 0), ("A2", 1), ("B1", 2), ("C1", 3), ("D1", 4)]);
}

#[test]
#[allow(deprecated)]
fn deprecated_items_still_work() {
    use gslang_compile_tests::codegen::shapes::{Old, Status};
    let old = Old { id: 7 };
    assert_eq!(from_bytes::<Old>(&to_bytes(&old)), Ok(old));
    assert_eq!(Status::try_from(1), Ok(Status::Gone));
}

#[test]
fn ping_pong_round_trip() {
    let value = Ping {
        pongs: vec![Pong {
            pings: vec![Ping { pongs: vec![] }],
            depth: 3,
        }],
    };
    assert_eq!(from_bytes::<Ping>(&to_bytes(&value)), Ok(value));
}

#[test]
fn modules_of_one_stem_are_told_apart_by_directory() {
    use gslang_compile_tests::valid::{same_stem::Both, x_common, y_common};
    let both = Both {
        a: x_common::Point { x: -1, y: 2 },
        b: y_common::Point {
            x: 0.5,
            y: 1.5,
            z: -2.0,
        },
    };
    let bytes = to_bytes(&both);
    assert_eq!(bytes.len(), 8 + 12);
    assert_eq!(&bytes[..8], &[0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0]);
    assert_eq!(from_bytes::<Both>(&bytes), Ok(both));
}
