//! How the speed of one 64 KiB `memcpy` depends on where the destination
//! lies relative to the source, modulo 4 KiB: the placement effect behind the
//! run-to-run spread of the 64 KiB rows in BENCHMARKS.md.
//!
//! `cargo run --release -p gslang-bench --example memcpy_distance`
//!
//! Prints the best of 15 × 2,000 copies for each distance. On the machine of
//! BENCHMARKS.md, a destination 1–63 bytes ahead of the source modulo 4096
//! takes about 1.35× as long as any other distance (the copy's loads appear
//! to alias its recent stores: 4K aliasing).

use std::hint::black_box;
use std::time::Instant;

const N: usize = 64 * 1024;

fn best_of(mut copy: impl FnMut()) -> f64 {
    for _ in 0..2000 {
        copy();
    }
    (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..2000 {
                copy();
            }
            start.elapsed().as_nanos() as f64 / 2000.0
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    let src = vec![7u8; N];
    // Room to place the destination at every distance modulo 4096.
    let mut dst = vec![0u8; N + 8192];
    let base = (src.as_ptr() as usize).wrapping_sub(dst.as_ptr() as usize) % 4096;
    println!("distance (dst − src) mod 4096   time of a 64 KiB copy");
    for distance in [0usize, 3, 16, 48, 63, 64, 256, 2048, 4093] {
        // dst + start ≡ src + distance (mod 4096)
        let start = (base + distance) % 4096 + 4096;
        let ns = best_of(|| {
            dst[start..start + N].copy_from_slice(black_box(&src));
            black_box(&dst);
        });
        println!("{distance:>30}   {ns:7.1} ns");
    }
}
