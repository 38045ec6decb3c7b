//! Property tests: random values round-trip; damaged encodings and random bytes
//! never panic the decoder and, when accepted, re-encode to the same bytes.
//!
//! That second property holds vacuously for rejected inputs, so its inputs are
//! mostly mutated encodings of valid values, and each test asserts that a fair
//! share of them was accepted (and of them rejected).

use std::cell::Cell;
use std::fmt::Debug;

use gscluster::encoding::varint_len;
use gscluster::{Reader, Wire, Writer, from_bytes, to_bytes};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

fn round_trips<T: Wire + PartialEq + Debug>(value: &T) -> Result<(), TestCaseError> {
    let bytes = to_bytes(value);
    prop_assert_eq!(value.encoded_len(), bytes.len());
    let back = from_bytes::<T>(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

/// A byte to put in: any, or often one that means something in the wire
/// format (bools, varint continuation, UTF-8 lead and continuation bytes).
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        1 => any::<u8>(),
        1 => prop::sample::select(vec![0u8, 1, 2, 0x7f, 0x80, 0x81, 0xc3, 0xa9, 0xff]),
    ]
}

/// `bytes` with one mutation chosen by `kind` (none, a byte replaced or
/// inserted, cut short, bytes appended) at `at`.
fn mutate(mut bytes: Vec<u8>, kind: u8, at: usize, b: u8) -> Vec<u8> {
    let len = bytes.len();
    match kind % 8 {
        0 | 1 => {}
        2..=4 if len > 0 => bytes[at % len] = b,
        5 if len > 0 => bytes.truncate(at % len),
        6 => bytes.insert(at % (len + 1), b),
        7 => bytes.extend([b, b]),
        _ => {}
    }
    bytes
}

/// Runs `check` over `inputs`; `check` says whether the decoder accepted the
/// input. At least 1 in 20 inputs must be accepted and 1 in 20 rejected, so
/// that both paths ran.
fn both_paths(
    what: &str,
    inputs: impl Strategy<Value = Vec<u8>>,
    check: impl Fn(&[u8]) -> Result<bool, TestCaseError>,
) {
    let config = config();
    let cases = config.cases;
    let (accepted, rejected) = (Cell::new(0u32), Cell::new(0u32));
    let result = TestRunner::new(config).run(&inputs, |bytes| {
        let counter = if check(&bytes)? { &accepted } else { &rejected };
        counter.set(counter.get() + 1);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
    let (accepted, rejected) = (accepted.get(), rejected.get());
    assert!(
        accepted >= cases / 20 && rejected >= cases / 20,
        "{what}: {accepted} inputs accepted and {rejected} rejected, of {cases}: one path was hardly tested"
    );
}

/// Decoding as `T` does not panic, and whatever it accepts re-encodes to
/// exactly the input, over encodings of `values` (mutated, mostly) and random
/// bytes.
fn decodes_canonically<T: Wire + Debug>(values: impl Strategy<Value = T>) {
    let inputs = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..64),
        6 => (values, any::<u8>(), any::<usize>(), byte())
            .prop_map(|(v, kind, at, b)| mutate(to_bytes(&v), kind, at, b)),
    ];
    both_paths(
        std::any::type_name::<T>(),
        inputs,
        |bytes| match from_bytes::<T>(bytes) {
            Ok(v) => {
                prop_assert_eq!(to_bytes(&v), bytes, "{:?}", v);
                Ok(true)
            }
            Err(_) => Ok(false),
        },
    );
}

/// Whatever varint prefix a reader accepts is the minimal encoding of its value.
#[test]
fn varint_prefixes_are_minimal() {
    let inputs =
        (any::<u32>(), any::<u8>(), any::<usize>(), byte()).prop_map(|(v, kind, at, b)| {
            let mut buf = Vec::new();
            Writer::new(&mut buf).put_varint(v);
            mutate(buf, kind, at, b)
        });
    both_paths("varint", inputs, |bytes| {
        let mut r = Reader::new(bytes);
        let Ok(v) = r.read_varint() else {
            return Ok(false);
        };
        let mut buf = Vec::new();
        Writer::new(&mut buf).put_varint(v);
        prop_assert_eq!(&bytes[..r.position()], &buf[..]);
        Ok(true)
    });
}

fn short_string() -> impl Strategy<Value = String> {
    ".{0,8}"
}

/// Fewer cases under miri, which is slow, and no failure files (it isolates the
/// file system).
fn config() -> ProptestConfig {
    if cfg!(miri) {
        ProptestConfig {
            cases: 8,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    } else {
        ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn strings(v in prop::collection::vec(any::<String>(), 0..20)) {
        round_trips(&v)?;
    }

    #[test]
    fn floats_keep_bits(v in prop::collection::vec(any::<u32>(), 0..50)) {
        let floats: Vec<f32> = v.iter().map(|&b| f32::from_bits(b)).collect();
        let back = from_bytes::<Vec<f32>>(&to_bytes(&floats)).unwrap();
        let bits: Vec<u32> = back.iter().map(|f| f.to_bits()).collect();
        prop_assert_eq!(bits, v);
    }

    #[test]
    fn f64_keep_bits(v in prop::collection::vec(any::<u64>(), 0..50)) {
        let floats: Vec<f64> = v.iter().map(|&b| f64::from_bits(b)).collect();
        let back = from_bytes::<[Vec<f64>; 1]>(&to_bytes(&[floats])).unwrap();
        let bits: Vec<u64> = back[0].iter().map(|f| f.to_bits()).collect();
        prop_assert_eq!(bits, v);
    }

    #[test]
    fn array_of_u16(v in prop::array::uniform32(any::<u16>()), w in prop::array::uniform8(any::<u16>())) {
        let mut a = [0u16; 40];
        a[..32].copy_from_slice(&v);
        a[32..].copy_from_slice(&w);
        round_trips(&a)?;
    }

    #[test]
    fn byte_lists(v in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..10)) {
        round_trips(&v)?;
    }

    #[test]
    fn tuples(v in prop::collection::vec(any::<(u64, i8, bool)>(), 0..20)) {
        round_trips(&v)?;
    }

    #[test]
    fn mixed(v in any::<(i16, i32, i64, u32)>(), s in ".*", b in prop::collection::vec(any::<bool>(), 0..10)) {
        round_trips(&(v, s, b))?;
    }

    #[test]
    fn varints(v in any::<u32>()) {
        let mut buf = Vec::new();
        Writer::new(&mut buf).put_varint(v);
        prop_assert_eq!(buf.len(), varint_len(v));
        let mut r = Reader::new(&buf);
        prop_assert_eq!(r.read_varint().unwrap(), v);
        prop_assert_eq!(r.remaining(), 0);
    }
}

#[test]
fn lists_decode_canonically() {
    decodes_canonically(prop::collection::vec(short_string(), 0..6));
    decodes_canonically(prop::collection::vec(
        prop::collection::vec(any::<u8>(), 0..8),
        0..6,
    ));
    decodes_canonically(prop::collection::vec(any::<u16>(), 0..10));
    decodes_canonically(prop::collection::vec(any::<bool>(), 0..10));
    decodes_canonically(prop::collection::vec(any::<f64>(), 0..6));
    decodes_canonically(prop::collection::vec(
        prop::array::uniform2(any::<i16>()),
        0..5,
    ));
}

#[test]
fn nested_lists_decode_canonically() {
    decodes_canonically(prop::collection::vec(
        prop::collection::vec(any::<bool>(), 0..4),
        0..4,
    ));
    decodes_canonically(prop::collection::vec(
        prop::collection::vec(prop::collection::vec(any::<bool>(), 0..3), 0..3),
        0..3,
    ));
}

#[test]
fn strings_arrays_and_tuples_decode_canonically() {
    decodes_canonically(".{0,12}");
    decodes_canonically(prop::array::uniform3(short_string()));
    decodes_canonically((
        any::<u8>(),
        prop::collection::vec(any::<u32>(), 0..5),
        any::<bool>(),
    ));
    decodes_canonically(prop::collection::vec((any::<bool>(), short_string()), 0..4));
    decodes_canonically(any::<u32>());
}

#[test]
fn every_short_varint_is_canonical() {
    // All 1- and 2-byte inputs, and 3-byte inputs over the interesting bytes.
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    let step = if cfg!(miri) { 15 } else { 1 };
    for a in 0..=255u8 {
        inputs.push(vec![a]);
        for b in (0..=255u8).step_by(step) {
            inputs.push(vec![a, b]);
        }
    }
    for a in [0x80u8, 0xff] {
        for b in [0x80u8, 0xff, 0x00] {
            for c in 0..=255u8 {
                inputs.push(vec![a, b, c]);
            }
        }
    }
    let total = inputs.len();
    let mut accepted = 0;
    for bytes in inputs {
        let mut r = Reader::new(&bytes);
        if let Ok(v) = r.read_varint() {
            let mut buf = Vec::new();
            Writer::new(&mut buf).put_varint(v);
            assert_eq!(&bytes[..r.position()], &buf[..], "{bytes:02x?}");
            accepted += 1;
        }
    }
    // Every input whose first byte ends the varint is accepted, and so at
    // least half of the 2-byte inputs; every 3-byte one with a 0 middle is not.
    assert!(
        accepted > total / 2 && accepted < total,
        "{accepted} of {total} accepted"
    );
}
