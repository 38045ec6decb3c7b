//! Property tests: random values of every type shape round-trip, and every
//! byte string a decoder accepts re-encodes to exactly the same bytes.
//!
//! The second property holds vacuously for inputs the decoder rejects, so its
//! inputs are mostly encodings of valid values, mutated, and each test
//! asserts that a fair share of them was accepted (and of them rejected).

use std::cell::Cell;

use gscluster::{Wire, from_bytes, to_bytes};
use gslang_compile_tests::codegen::shapes::{
    Containers, Empty, Perm, Ping, Plain, Pong, Scalars, Signed, Small, Tree,
};
use gslang_compile_tests::codegen::shapes_base::Point;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

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

fn perm() -> impl Strategy<Value = Perm> {
    any::<u16>().prop_map(Perm::from_bits_retain)
}

fn ping() -> impl Strategy<Value = Ping> {
    Just(Ping { pongs: vec![] }).prop_recursive(4, 32, 3, |inner| {
        let pong = (prop::collection::vec(inner, 0..3), any::<u8>())
            .prop_map(|(pings, depth)| Pong { pings, depth });
        prop::collection::vec(pong, 0..3).prop_map(|pongs| Ping { pongs })
    })
}

fn pong() -> impl Strategy<Value = Pong> {
    (prop::collection::vec(ping(), 0..3), any::<u8>())
        .prop_map(|(pings, depth)| Pong { pings, depth })
}

/// How an encoding is damaged before it is decoded.
#[derive(Clone, Debug)]
enum Mutation {
    /// Left as it is: the decoder must accept it.
    None,
    /// One byte replaced.
    Replace(usize, u8),
    /// Cut short.
    Truncate(usize),
    /// One byte inserted.
    Insert(usize, u8),
    /// Bytes appended.
    Append(Vec<u8>),
}

/// A byte to put in: any, or often one that means something in the wire
/// format (bools, varint continuation, enum values at their edges).
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        1 => any::<u8>(),
        1 => prop::sample::select(vec![0u8, 1, 2, 3, 0x7f, 0x80, 0x81, 0xff]),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => Just(Mutation::None),
        3 => (any::<usize>(), byte()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), byte()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        1 => prop::collection::vec(any::<u8>(), 1..4).prop_map(Mutation::Append),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutation: Mutation) -> Vec<u8> {
    match mutation {
        Mutation::None => {}
        Mutation::Replace(at, byte) if !bytes.is_empty() => {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        Mutation::Truncate(at) if !bytes.is_empty() => bytes.truncate(at % bytes.len()),
        Mutation::Insert(at, byte) => {
            let at = at % (bytes.len() + 1);
            bytes.insert(at, byte);
        }
        Mutation::Append(more) => bytes.extend(more),
        Mutation::Replace(..) | Mutation::Truncate(_) => {}
    }
    bytes
}

const CANONICAL_CASES: u32 = 256;

/// Whatever the decoder of `T` accepts re-encodes to exactly the input, over
/// encodings of `values` (mutated, mostly) and random bytes; at least 1 in
/// 20 inputs must be accepted and 1 in 20 rejected, so that both paths ran.
fn decodes_canonically<T: Wire + std::fmt::Debug>(values: impl Strategy<Value = T>) {
    let inputs = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..128),
        6 => (values, mutation()).prop_map(|(v, m)| mutate(to_bytes(&v), m)),
    ];
    let (accepted, rejected) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(ProptestConfig::with_cases(CANONICAL_CASES));
    let result = runner.run(&inputs, |bytes| {
        match from_bytes::<T>(&bytes) {
            Ok(value) => {
                accepted.set(accepted.get() + 1);
                prop_assert_eq!(to_bytes(&value), bytes, "{:?}", value);
            }
            Err(_) => rejected.set(rejected.get() + 1),
        }
        Ok(())
    });
    let name = std::any::type_name::<T>();
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let (accepted, rejected) = (accepted.get(), rejected.get());
    assert!(
        accepted >= CANONICAL_CASES / 20 && rejected >= CANONICAL_CASES / 20,
        "{name}: {accepted} inputs accepted and {rejected} rejected, of {CANONICAL_CASES}: one path was hardly tested"
    );
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
}

#[test]
fn scalars_decode_canonically() {
    decodes_canonically(scalars());
}

#[test]
fn containers_decode_canonically() {
    decodes_canonically(containers());
}

#[test]
fn trees_decode_canonically() {
    decodes_canonically(tree());
}

#[test]
fn pings_and_pongs_decode_canonically() {
    decodes_canonically(ping());
    decodes_canonically(pong());
}

#[test]
fn plain_decodes_canonically() {
    decodes_canonically(plain());
}

#[test]
fn enum_lists_and_flags_decode_canonically() {
    decodes_canonically(prop::collection::vec(small(), 0..8));
    decodes_canonically(perm());
}
