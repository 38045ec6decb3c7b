//! Encode and decode of three data sets with gscluster's generated code and with
//! the serializers a Rust user would otherwise pick, side by side on the same
//! values, with a `memcpy` floor for encode and a `clone()` floor for decode.
//!
//! Run with `cargo bench -p gslang-bench`; the results are discussed in
//! BENCHMARKS.md. Criterion's group names are `<data set>/<encode|decode>` and the
//! function names are the libraries.

use std::hint::black_box;
use std::time::Duration;

use bincode::config;
use criterion::{Criterion, criterion_group, criterion_main};
use gslang_bench::{Mirror, data, mirror, pb};
use rkyv::api::high::to_bytes_in;
use rkyv::rancor::Error as RkyvError;
use rkyv::util::AlignedVec;

/// bincode 2's default configuration: little-endian, varint integers.
const VARINT: config::Configuration = config::standard();
/// bincode 2 with fixed-width integers.
const FIXINT: config::Configuration<config::LittleEndian, config::Fixint> =
    config::standard().with_fixed_int_encoding();

/// Encodes and decodes one data set with every library.
///
/// `ours` is the generated type; `m` its mirror (bincode, borsh, postcard, rkyv), `p` its prost
/// mirror; all hold the same data.
fn bench_set<G, M, P>(c: &mut Criterion, name: &str, ours: &G, m: &M, p: &P)
where
    G: gscluster::Wire + Clone,
    M: Mirror,
    P: prost::Message + Default,
{
    // Each library's encoding, made once, as the decoders' input.
    let gs_bytes = gscluster::to_bytes(ours);
    let varint_bytes = bincode::encode_to_vec(m, VARINT).expect("bincode encodes");
    let fixint_bytes = bincode::encode_to_vec(m, FIXINT).expect("bincode encodes");
    let postcard_bytes = postcard::to_allocvec(m).expect("postcard encodes");
    let borsh_bytes = borsh::to_vec(m).expect("borsh encodes");
    let prost_bytes = p.encode_to_vec();
    let rkyv_bytes = rkyv::to_bytes::<RkyvError>(m).expect("rkyv encodes");

    let mut g = c.benchmark_group(format!("{name}/encode"));
    // Every encoder appends to a buffer reused across iterations and cleared
    // first, so no iteration allocates once the buffer has grown.
    let mut buf = Vec::<u8>::new();
    g.bench_function("gscluster", |b| {
        b.iter(|| {
            buf.clear();
            gscluster::encode_into(black_box(ours), &mut buf);
            black_box(buf.as_slice());
        });
    });
    g.bench_function("bincode-varint-vec", |b| {
        b.iter(|| {
            buf.clear();
            bincode::encode_into_std_write(black_box(m), &mut buf, VARINT).expect("encodes");
            black_box(buf.as_slice());
        });
    });
    g.bench_function("bincode-fixint-vec", |b| {
        b.iter(|| {
            buf.clear();
            bincode::encode_into_std_write(black_box(m), &mut buf, FIXINT).expect("encodes");
            black_box(buf.as_slice());
        });
    });
    // Slice-based variants: into a buffer already sized (and zeroed) for the
    // output, with nothing to grow or clear.
    let mut slice = vec![0u8; gs_bytes.len().max(fixint_bytes.len()) + 64];
    g.bench_function("bincode-varint-slice", |b| {
        b.iter(|| {
            let n = bincode::encode_into_slice(black_box(m), &mut slice, VARINT).expect("encodes");
            black_box(&slice[..n]);
        });
    });
    g.bench_function("bincode-fixint-slice", |b| {
        b.iter(|| {
            let n = bincode::encode_into_slice(black_box(m), &mut slice, FIXINT).expect("encodes");
            black_box(&slice[..n]);
        });
    });
    g.bench_function("postcard-slice", |b| {
        b.iter(|| {
            let out = postcard::to_slice(black_box(m), &mut slice).expect("encodes");
            black_box(&*out);
        });
    });
    g.bench_function("postcard-vec", |b| {
        b.iter(|| {
            buf.clear();
            buf = postcard::to_extend(black_box(m), std::mem::take(&mut buf)).expect("encodes");
            black_box(buf.as_slice());
        });
    });
    g.bench_function("borsh", |b| {
        b.iter(|| {
            buf.clear();
            borsh::BorshSerialize::serialize(black_box(m), &mut buf).expect("encodes");
            black_box(buf.as_slice());
        });
    });
    g.bench_function("prost", |b| {
        b.iter(|| {
            buf.clear();
            black_box(p).encode(&mut buf).expect("encodes");
            black_box(buf.as_slice());
        });
    });
    let mut aligned = AlignedVec::<16>::new();
    g.bench_function("rkyv", |b| {
        b.iter(|| {
            aligned.clear();
            aligned = to_bytes_in::<_, RkyvError>(black_box(m), std::mem::take(&mut aligned))
                .expect("encodes");
            black_box(aligned.as_slice());
        });
    });
    g.bench_function("floor-memcpy", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&gs_bytes));
            black_box(buf.as_slice());
        });
    });
    g.finish();

    let mut g = c.benchmark_group(format!("{name}/decode"));
    // Every decoder checks its input fully (UTF-8, enum values, bools, lengths)
    // and returns an owned value, which is dropped inside the timed loop.
    g.bench_function("gscluster", |b| {
        b.iter(|| gscluster::from_bytes::<G>(black_box(&gs_bytes)).expect("decodes"));
    });
    g.bench_function("bincode-varint", |b| {
        b.iter(|| {
            bincode::decode_from_slice::<M, _>(black_box(&varint_bytes), VARINT)
                .expect("decodes")
                .0
        });
    });
    g.bench_function("bincode-fixint", |b| {
        b.iter(|| {
            bincode::decode_from_slice::<M, _>(black_box(&fixint_bytes), FIXINT)
                .expect("decodes")
                .0
        });
    });
    g.bench_function("postcard", |b| {
        b.iter(|| postcard::from_bytes::<M>(black_box(&postcard_bytes)).expect("decodes"));
    });
    g.bench_function("borsh", |b| {
        b.iter(|| borsh::from_slice::<M>(black_box(&borsh_bytes)).expect("decodes"));
    });
    g.bench_function("prost", |b| {
        b.iter(|| P::decode(black_box(prost_bytes.as_slice())).expect("decodes"));
    });
    g.bench_function("rkyv", |b| {
        b.iter(|| rkyv::from_bytes::<M, RkyvError>(black_box(&rkyv_bytes)).expect("decodes"));
    });
    // Zero-copy reference points: a checked view of the archive, not an owned value.
    g.bench_function("rkyv-access", |b| {
        b.iter(|| rkyv::access::<M::Archived, RkyvError>(black_box(&rkyv_bytes)).expect("valid"));
    });
    g.bench_function("rkyv-access-unchecked", |b| {
        b.iter(|| {
            // SAFETY: `rkyv_bytes` is `rkyv::to_bytes` of an `M`, so it holds a valid
            // `M::Archived` at its root position (`rkyv::access` of the same bytes
            // succeeds, as the equal_work test checks); `AlignedVec` keeps it
            // aligned.
            unsafe { rkyv::access_unchecked::<M::Archived>(black_box(&rkyv_bytes)) }
        });
    });
    g.bench_function("floor-clone", |b| {
        b.iter(|| black_box(ours).clone());
    });
    g.finish();
}

fn game_message(c: &mut Criterion) {
    let ours = data::game_message();
    bench_set(
        c,
        "game_message",
        &ours,
        &mirror::GameMessage::from(&ours),
        &pb::GameMessage::from(&ours),
    );
}

fn blob(c: &mut Criterion) {
    let ours = data::blob();
    bench_set(
        c,
        "blob",
        &ours,
        &mirror::Blob::from(&ours),
        &pb::Blob::from(&ours),
    );
}

fn floats(c: &mut Criterion) {
    let ours = data::floats();
    bench_set(
        c,
        "floats",
        &ours,
        &mirror::Floats::from(&ours),
        &pb::Floats::from(&ours),
    );
}

criterion_group! {
    name = benches;
    // The machine is shared with builds: more samples and a longer measurement
    // than criterion's defaults, so the medians hold still.
    config = Criterion::default()
        .sample_size(200)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    targets = game_message, blob, floats
}
criterion_main!(benches);
