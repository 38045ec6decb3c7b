//! Encodes or decodes the `GameMessage` of the benchmarks N times, for
//! counting instructions on a machine too noisy for timings:
//!
//! ```sh
//! cargo build --release -p gslang-bench --example instructions
//! for n in 0 100000; do
//!   valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
//!     target/release/examples/instructions encode $n 2>&1 | grep 'I *refs'
//! done
//! ```
//!
//! The difference of the two counts over 100,000 is the instructions per
//! operation (`encode`: `encode_into` a cleared `Vec`; `decode`: `from_bytes`,
//! drop included).

use std::hint::black_box;

use gslang_bench::data;

fn main() {
    let mut args = std::env::args().skip(1);
    let op = args.next().unwrap_or_default();
    let n: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let value = data::game_message();
    let bytes = gscluster::to_bytes(&value);
    let mut buf = Vec::<u8>::with_capacity(bytes.len());
    match op.as_str() {
        "encode" => {
            for _ in 0..n {
                buf.clear();
                gscluster::encode_into(black_box(&value), &mut buf);
                black_box(buf.as_slice());
            }
        }
        "decode" => {
            for _ in 0..n {
                let decoded = gscluster::from_bytes::<gslang_bench::generated::game::GameMessage>(
                    black_box(&bytes),
                )
                .expect("decodes");
                black_box(decoded);
            }
        }
        _ => eprintln!("usage: instructions encode|decode N"),
    }
}
