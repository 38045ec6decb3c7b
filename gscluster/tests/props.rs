//! Property tests: random values round-trip; random bytes never panic the decoder
//! and, when accepted, re-encode to the same bytes.

use std::fmt::Debug;

use gscluster::encoding::varint_len;
use gscluster::{Reader, Wire, Writer, from_bytes, to_bytes};
use proptest::prelude::*;

fn round_trips<T: Wire + PartialEq + Debug>(value: &T) -> Result<(), TestCaseError> {
    let bytes = to_bytes(value);
    prop_assert_eq!(value.encoded_len(), bytes.len());
    let back = from_bytes::<T>(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

/// Decoding `bytes` as `T` does not panic; if it succeeds the value re-encodes to
/// exactly `bytes`.
fn canonical<T: Wire + Debug>(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(v) = from_bytes::<T>(bytes) {
        prop_assert_eq!(to_bytes(&v), bytes, "{:?}", v);
    }
    Ok(())
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

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        canonical::<Vec<String>>(&bytes)?;
        canonical::<Vec<Vec<u8>>>(&bytes)?;
        canonical::<Vec<u16>>(&bytes)?;
        canonical::<Vec<bool>>(&bytes)?;
        canonical::<Vec<f64>>(&bytes)?;
        canonical::<String>(&bytes)?;
        canonical::<[String; 3]>(&bytes)?;
        canonical::<(u8, Vec<u32>, bool)>(&bytes)?;
        canonical::<Vec<[i16; 2]>>(&bytes)?;
        canonical::<Vec<Vec<Vec<bool>>>>(&bytes)?;
    }

    #[test]
    fn small_structured_bytes_never_panic(
        bytes in prop::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2), Just(0x80), Just(0xc3), Just(0xa9), any::<u8>()], 0..32)
    ) {
        // Bytes biased towards counts, bools and UTF-8 so more inputs are accepted.
        canonical::<Vec<String>>(&bytes)?;
        canonical::<Vec<Vec<bool>>>(&bytes)?;
        canonical::<Vec<(bool, String)>>(&bytes)?;
        canonical::<u32>(&bytes)?;
        let mut r = Reader::new(&bytes);
        if let Ok(v) = r.read_varint() {
            let mut buf = Vec::new();
            Writer::new(&mut buf).put_varint(v);
            prop_assert_eq!(&bytes[..r.position()], &buf[..]);
        }
    }
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
    for bytes in inputs {
        let mut r = Reader::new(&bytes);
        if let Ok(v) = r.read_varint() {
            let mut buf = Vec::new();
            Writer::new(&mut buf).put_varint(v);
            assert_eq!(&bytes[..r.position()], &buf[..], "{bytes:02x?}");
        }
    }
}
