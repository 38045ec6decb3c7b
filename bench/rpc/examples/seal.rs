//! The cost of sealing and opening one message the size of the benchmark's
//! `Call` and `Return` contents (153 bytes), with the AEAD gscluster's
//! encryption uses (chacha20poly1305 0.10, as `gscluster/src/rpc/crypto.rs`
//! calls it: `encrypt_in_place_detached` with the code byte as associated
//! data, a counter nonce): a sealed call costs four of these (seal and open
//! on each side of the call and of its return).
//!
//! ```text
//! cargo run --release --example seal
//! # the portable backends instead of the AVX2 ones:
//! RUSTFLAGS="--cfg chacha20_force_soft --cfg poly1305_force_soft" \
//!     CARGO_TARGET_DIR=target/soft cargo run --release --example seal
//! # AVX2 enabled at compile time (the intrinsics inline):
//! RUSTFLAGS="-C target-feature=+avx2" CARGO_TARGET_DIR=target/avx2 \
//!     cargo run --release --example seal
//! ```

use std::hint::black_box;
use std::time::Instant;

use chacha20poly1305::aead::AeadInPlace;
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce, Tag};

fn main() {
    let len: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(153);
    let cipher = ChaCha20Poly1305::new(&[7u8; 32].into());
    let mut buf = vec![0x5au8; len];
    let iters = 400_000u64;
    let mut best_seal = f64::INFINITY;
    let mut best_open = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        let mut tags = Vec::with_capacity(iters as usize);
        for i in 0..iters {
            let mut nonce = [0u8; 12];
            nonce[..8].copy_from_slice(&i.to_le_bytes());
            let tag = cipher
                .encrypt_in_place_detached(&Nonce::from(nonce), &[4], black_box(&mut buf))
                .expect("seal");
            tags.push(tag);
        }
        best_seal = best_seal.min(t.elapsed().as_nanos() as f64 / iters as f64);
        // Open in reverse, undoing each seal (the stream cipher is its own
        // inverse), so that every tag checks.
        let t = Instant::now();
        for i in (0..iters).rev() {
            let mut nonce = [0u8; 12];
            nonce[..8].copy_from_slice(&i.to_le_bytes());
            let tag: Tag = tags[i as usize];
            cipher
                .decrypt_in_place_detached(&Nonce::from(nonce), &[4], black_box(&mut buf), &tag)
                .expect("open");
        }
        best_open = best_open.min(t.elapsed().as_nanos() as f64 / iters as f64);
    }
    assert!(buf.iter().all(|&b| b == 0x5a));
    println!(
        "{len}-byte message: seal {best_seal:.0} ns, open {best_open:.0} ns (best of 5 × {iters})"
    );
}
