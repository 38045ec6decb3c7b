//! The cost of sealing and opening one message the size of the benchmark's
//! `Call` and `Return` contents (153 bytes; another size as the argument),
//! with the AEAD gscluster's encryption uses, called as
//! `gscluster/src/rpc/crypto.rs` calls it (chacha20poly1305 0.10,
//! `encrypt_in_place_detached` with the code byte as associated data, a
//! counter nonce), and with ring's implementation of the same AEAD (its
//! assembly) for comparison: the same key, nonces and data, and the test
//! checks that both produce the same bytes. A sealed call costs four of
//! these: seal and open of the call, then of its return.
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
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, UnboundKey};

const KEY: [u8; 32] = [7; 32];
const ITERS: u64 = 400_000;

fn nonce(i: u64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(&i.to_le_bytes());
    n
}

/// The best of five runs of `ITERS` seals, then `ITERS` opens (in reverse,
/// undoing each seal, so that every tag checks): ns per seal and per open.
fn time<T>(
    buf: &mut [u8],
    mut seal: impl FnMut(u64, &mut [u8]) -> T,
    mut open: impl FnMut(u64, &mut [u8], &T),
) -> (f64, f64) {
    let (mut best_seal, mut best_open) = (f64::INFINITY, f64::INFINITY);
    let mut tags = Vec::with_capacity(ITERS as usize);
    for _ in 0..5 {
        tags.clear();
        let t = Instant::now();
        for i in 0..ITERS {
            tags.push(seal(i, black_box(&mut *buf)));
        }
        best_seal = best_seal.min(t.elapsed().as_nanos() as f64 / ITERS as f64);
        let t = Instant::now();
        for i in (0..ITERS).rev() {
            open(i, black_box(&mut *buf), &tags[i as usize]);
        }
        best_open = best_open.min(t.elapsed().as_nanos() as f64 / ITERS as f64);
    }
    (best_seal, best_open)
}

fn main() {
    let len: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(153);
    let rc = ChaCha20Poly1305::new(&KEY.into());
    let ring = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &KEY).expect("key"));

    // Both give the same bytes.
    let (mut a, mut b) = (vec![0x5au8; len], vec![0x5au8; len]);
    let tag_a = rc
        .encrypt_in_place_detached(&Nonce::from(nonce(9)), &[4], &mut a)
        .expect("seal");
    let tag_b = ring
        .seal_in_place_separate_tag(
            ring::aead::Nonce::assume_unique_for_key(nonce(9)),
            Aad::from([4u8]),
            &mut b,
        )
        .expect("seal");
    assert_eq!(
        (a.as_slice(), tag_a.as_slice()),
        (b.as_slice(), tag_b.as_ref())
    );

    let mut buf = vec![0x5au8; len];
    let (rc_seal, rc_open) = time(
        &mut buf,
        |i, buf| {
            rc.encrypt_in_place_detached(&Nonce::from(nonce(i)), &[4], buf)
                .expect("seal")
        },
        |i, buf, tag: &Tag| {
            rc.decrypt_in_place_detached(&Nonce::from(nonce(i)), &[4], buf, tag)
                .expect("open")
        },
    );
    assert!(buf.iter().all(|&x| x == 0x5a));
    let (ring_seal, ring_open) = time(
        &mut buf,
        |i, buf| {
            ring.seal_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce(i)),
                Aad::from([4u8]),
                buf,
            )
            .expect("seal")
        },
        |i, buf, tag: &ring::aead::Tag| {
            ring.open_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce(i)),
                Aad::from([4u8]),
                *tag,
                buf,
                0..,
            )
            .expect("open");
        },
    );
    assert!(buf.iter().all(|&x| x == 0x5a));
    println!(
        "{len}-byte message, best of 5 × {ITERS}: chacha20poly1305 0.10 seal {rc_seal:.0} ns, \
         open {rc_open:.0} ns; ring 0.17 seal {ring_seal:.0} ns, open {ring_open:.0} ns"
    );
}
