//! Property tests: random values of every type shape round-trip, and every
//! byte string a decoder accepts re-encodes to exactly the same bytes.

use gscluster::{Wire, from_bytes, to_bytes};
use gslang_compile_tests::codegen::shapes::{
    Containers, Empty, Perm, Ping, Plain, Pong, Scalars, Signed, Small, Tree,
};
use gslang_compile_tests::codegen::shapes_base::Point;
use proptest::prelude::*;

fn scalars() -> impl Strategy<Value = Scalars> {
    (
        (
            any::<bool>(),
            any::<u8>(),
            any::<i8>(),
            any::<i16>(),
            any::<u16>(),
            any::<i32>(),
        ),
        (
            any::<u32>(),
            any::<i64>(),
            any::<u64>(),
            any::<f32>(),
            any::<f64>(),
            ".{0,12}",
        ),
    )
        .prop_map(|((a, b, c, d, e, f), (g, h, i, j, k, l))| Scalars {
            a,
            b,
            c,
            d,
            e,
            f,
            g,
            h,
            i,
            j,
            k,
            l,
        })
}

fn small() -> impl Strategy<Value = Small> {
    prop_oneof![Just(Small::A), Just(Small::B), Just(Small::C)]
}

fn point() -> impl Strategy<Value = Point> {
    (any::<f32>(), any::<f32>()).prop_map(|(x, y)| Point { x, y })
}

fn containers() -> impl Strategy<Value = Containers> {
    let lists = (
        prop::collection::vec(any::<u8>(), 0..16),
        prop::collection::vec(".{0,6}", 0..4),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..4), 0..4),
        prop::collection::vec(any::<f32>(), 0..8),
        prop::collection::vec(any::<f64>(), 0..4),
        prop::collection::vec(any::<i64>(), 0..4),
        prop::collection::vec(any::<bool>(), 0..4),
    );
    let fixed = (
        prop::array::uniform4(any::<f32>()),
        prop::array::uniform3(prop::array::uniform3(any::<i16>())),
        prop::collection::vec(any::<u8>(), 40),
        (any::<usize>(), any::<u16>()),
        prop::array::uniform4(prop::collection::vec(".{0,3}", 0..3)),
    );
    let records = (
        prop::collection::vec(scalars(), 0..3),
        prop::array::uniform2(point()),
        prop::collection::vec(small(), 0..4),
        prop::array::uniform2(any::<u16>()),
        0usize..5,
    );
    (lists, fixed, records).prop_map(
        |(
            (bytes, strings, nested, floats, doubles, ints, bools),
            (fixed, grid, big, (at, value), mixed),
            (records, fixed_records, enums, flags, empties),
        )| {
            let mut bigger = [0u16; 1000];
            bigger[at % 1000] = value;
            Containers {
                bytes,
                strings,
                nested,
                floats,
                doubles,
                ints,
                bools,
                fixed,
                grid,
                big: big.try_into().unwrap_or([0; 40]),
                bigger,
                mixed,
                records,
                fixed_records,
                enums,
                flags: flags.map(Perm::from_bits_retain),
                empties: vec![Empty {}; empties],
            }
        },
    )
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = any::<i32>().prop_map(|value| Tree {
        value,
        children: vec![],
    });
    leaf.prop_recursive(6, 64, 4, |inner| {
        (any::<i32>(), prop::collection::vec(inner, 0..4))
            .prop_map(|(value, children)| Tree { value, children })
    })
}

fn plain() -> impl Strategy<Value = Plain> {
    (
        any::<u32>(),
        prop_oneof![Just(Signed::Neg), Just(Signed::Zero), Just(Signed::Pos)],
        point(),
        any::<u16>(),
        prop::array::uniform2(any::<u64>()),
    )
        .prop_map(|(id, kind, r#where, bits, pair)| Plain {
            id,
            kind,
            r#where,
            bits: Perm::from_bits_retain(bits),
            pair,
        })
}

/// Encodes, decodes and encodes again: the same bytes, of the announced size.
/// (Comparing bytes rather than values keeps NaNs honest.)
fn round_trips<T: Wire + std::fmt::Debug>(value: &T) -> Result<(), TestCaseError> {
    let bytes = to_bytes(value);
    prop_assert_eq!(bytes.len(), value.encoded_len());
    prop_assert!(bytes.len() >= T::MIN_LEN);
    let back = from_bytes::<T>(&bytes);
    prop_assert!(back.is_ok(), "{:?} does not decode: {:?}", value, back);
    prop_assert_eq!(
        to_bytes(&back.map_err(|e| TestCaseError::fail(e.to_string()))?),
        bytes
    );
    Ok(())
}

/// Whatever a decoder accepts re-encodes to exactly the input.
fn canonical<T: Wire>(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(value) = from_bytes::<T>(bytes) {
        prop_assert_eq!(to_bytes(&value), bytes);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scalars_round_trip(v in scalars()) {
        round_trips(&v)?;
    }

    #[test]
    fn containers_round_trip(v in containers()) {
        round_trips(&v)?;
    }

    #[test]
    fn trees_round_trip(v in tree()) {
        round_trips(&v)?;
        prop_assert_eq!(from_bytes::<Tree>(&to_bytes(&v)).ok(), Some(v));
    }

    #[test]
    fn plain_round_trips(v in plain()) {
        round_trips(&v)?;
    }

    #[test]
    fn random_bytes_decode_canonically(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        canonical::<Scalars>(&bytes)?;
        canonical::<Containers>(&bytes)?;
        canonical::<Tree>(&bytes)?;
        canonical::<Ping>(&bytes)?;
        canonical::<Pong>(&bytes)?;
        canonical::<Plain>(&bytes)?;
        canonical::<Vec<Small>>(&bytes)?;
        canonical::<Perm>(&bytes)?;
    }

    #[test]
    fn mutated_encodings_decode_canonically(v in tree(), at in any::<usize>(), byte in any::<u8>()) {
        let mut bytes = to_bytes(&v);
        let at = at % bytes.len();
        bytes[at] = byte;
        canonical::<Tree>(&bytes)?;
    }

    #[test]
    fn mutated_containers_decode_canonically(v in containers(), at in any::<usize>(), byte in any::<u8>()) {
        let mut bytes = to_bytes(&v);
        let at = at % bytes.len();
        bytes[at] = byte;
        canonical::<Containers>(&bytes)?;
    }
}
