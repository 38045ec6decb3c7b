//! Every library in the benchmarks encodes the same data and decodes it back
//! whole, so the benchmarks compare equal work; and the encoded sizes are the
//! ones BENCHMARKS.md reports.

use bincode::config;
use gslang_bench::generated::game::{Blob, Floats, GameMessage};
use gslang_bench::{Mirror, data, mirror, pb};
use rkyv::rancor::Error as RkyvError;

/// Each library's encoded size of one data set.
#[derive(Debug, PartialEq, Eq)]
struct Sizes {
    gscluster: usize,
    bincode_varint: usize,
    bincode_fixint: usize,
    postcard: usize,
    borsh: usize,
    prost: usize,
    rkyv: usize,
}

/// Encodes `ours` with every library (through the mirrors), decodes each
/// encoding with the same library, and checks that all decoded values equal
/// `ours`. Returns the sizes.
fn round_trip_all<G, M, P>(ours: &G) -> Sizes
where
    G: gscluster::Wire + PartialEq + std::fmt::Debug + From<M>,
    M: for<'a> From<&'a G> + PartialEq + std::fmt::Debug + Mirror,
    P: for<'a> From<&'a G> + prost::Message + Default,
    G: TryFrom<P>,
    <G as TryFrom<P>>::Error: std::fmt::Debug,
{
    let m = M::from(ours);
    let p = P::from(ours);

    // gscluster, through `encode_into` as benchmarked.
    let mut ours_bytes = Vec::new();
    gscluster::encode_into(ours, &mut ours_bytes);
    assert_eq!(ours_bytes.len(), ours.encoded_len());
    assert_eq!(ours_bytes, gscluster::to_bytes(ours));
    assert_eq!(
        gscluster::from_bytes::<G>(&ours_bytes).expect("decodes"),
        *ours
    );

    // bincode, both configurations, both encoders.
    let mut sizes = [0; 2];
    for (i, size) in sizes.iter_mut().enumerate() {
        let (bytes, from_slice) = if i == 0 {
            let c = config::standard();
            let mut vec = Vec::new();
            bincode::encode_into_std_write(&m, &mut vec, c).expect("encodes");
            let mut slice = vec![0; vec.len() + 16];
            let n = bincode::encode_into_slice(&m, &mut slice, c).expect("encodes");
            let (d, used) = bincode::decode_from_slice::<M, _>(&vec, c).expect("decodes");
            assert_eq!(used, vec.len());
            assert_eq!(d, m);
            (vec, slice[..n].to_vec())
        } else {
            let c = config::standard().with_fixed_int_encoding();
            let mut vec = Vec::new();
            bincode::encode_into_std_write(&m, &mut vec, c).expect("encodes");
            let mut slice = vec![0; vec.len() + 16];
            let n = bincode::encode_into_slice(&m, &mut slice, c).expect("encodes");
            let (d, used) = bincode::decode_from_slice::<M, _>(&vec, c).expect("decodes");
            assert_eq!(used, vec.len());
            assert_eq!(d, m);
            (vec, slice[..n].to_vec())
        };
        assert_eq!(bytes, from_slice);
        *size = bytes.len();
    }

    // postcard, both encoders.
    let postcard_vec = postcard::to_extend(&m, Vec::new()).expect("encodes");
    let mut slice = vec![0; postcard_vec.len() + 16];
    let n = postcard::to_slice(&m, &mut slice).expect("encodes").len();
    assert_eq!(postcard_vec, slice[..n]);
    assert_eq!(
        postcard::from_bytes::<M>(&postcard_vec).expect("decodes"),
        m
    );

    // borsh.
    let mut borsh_bytes = Vec::new();
    borsh::BorshSerialize::serialize(&m, &mut borsh_bytes).expect("encodes");
    assert_eq!(borsh::from_slice::<M>(&borsh_bytes).expect("decodes"), m);

    // prost, converted back to the generated type (its field types differ).
    let mut prost_bytes = Vec::new();
    p.encode(&mut prost_bytes).expect("encodes");
    let decoded = P::decode(prost_bytes.as_slice()).expect("decodes");
    assert_eq!(G::try_from(decoded).expect("in range"), *ours);

    // rkyv: the owned value, and the validated and unchecked views.
    let rkyv_bytes = rkyv::to_bytes::<RkyvError>(&m).expect("encodes");
    let reused =
        rkyv::api::high::to_bytes_in::<_, RkyvError>(&m, rkyv::util::AlignedVec::<16>::new())
            .expect("encodes");
    assert_eq!(rkyv_bytes.as_slice(), reused.as_slice());
    assert_eq!(
        rkyv::from_bytes::<M, RkyvError>(&rkyv_bytes).expect("decodes"),
        m
    );
    let archived = rkyv::access::<M::Archived, RkyvError>(&rkyv_bytes).expect("valid");
    // SAFETY: `rkyv_bytes` is `rkyv::to_bytes` of an `M`, validated just above.
    let unchecked = unsafe { rkyv::access_unchecked::<M::Archived>(&rkyv_bytes) };
    assert!(std::ptr::eq(archived, unchecked));
    let owned: M = rkyv::deserialize::<M, RkyvError>(archived).expect("deserializes");
    assert_eq!(owned, m);

    // Every mirror holds the generated value's data.
    assert_eq!(G::from(m), *ours);

    Sizes {
        gscluster: ours_bytes.len(),
        bincode_varint: sizes[0],
        bincode_fixint: sizes[1],
        postcard: postcard_vec.len(),
        borsh: borsh_bytes.len(),
        prost: prost_bytes.len(),
        rkyv: rkyv_bytes.len(),
    }
}

#[test]
fn game_message() {
    let ours = data::game_message();
    assert_eq!(ours.name.len(), 12);
    assert_eq!(ours.items.len(), 8);
    assert!(ours.items.iter().all(|i| i.name.len() == 6));
    let sizes = round_trip_all::<GameMessage, mirror::GameMessage, pb::GameMessage>(&ours);
    println!("GameMessage: {sizes:?}");
    // 8 id + 1 kind + 12 position + 4 hp + 1+12 name + 1 alive
    // + 1 count + 8 × (4 id + 2 count + 1+6 name).
    assert_eq!(sizes.gscluster, 144);
    assert_eq!(
        sizes,
        Sizes {
            gscluster: 144,
            bincode_varint: 126,
            bincode_fixint: 217,
            postcard: 115,
            borsh: 174,
            prost: 163,
            rkyv: 192,
        }
    );
}

#[test]
fn blob() {
    let ours = data::blob();
    assert_eq!(ours.key.len(), 16);
    assert_eq!(ours.data.len(), data::BLOB_LEN);
    let sizes = round_trip_all::<Blob, mirror::Blob, pb::Blob>(&ours);
    println!("Blob: {sizes:?}");
    // 1+16 key + 3+65536 data.
    assert_eq!(sizes.gscluster, 65_556);
    assert_eq!(
        sizes,
        Sizes {
            gscluster: 65_556,
            bincode_varint: 65_558,
            bincode_fixint: 65_568,
            postcard: 65_556,
            borsh: 65_560,
            prost: 65_558,
            rkyv: 65_568,
        }
    );
}

#[test]
fn floats() {
    let ours = data::floats();
    assert_eq!(ours.values.len(), data::FLOATS_LEN);
    let sizes = round_trip_all::<Floats, mirror::Floats, pb::Floats>(&ours);
    println!("Floats: {sizes:?}");
    // 3-byte count + 16384 × 4.
    assert_eq!(sizes.gscluster, 65_539);
    assert_eq!(
        sizes,
        Sizes {
            gscluster: 65_539,
            bincode_varint: 65_539,
            bincode_fixint: 65_544,
            postcard: 65_539,
            borsh: 65_540,
            prost: 65_540,
            rkyv: 65_544,
        }
    );
}
