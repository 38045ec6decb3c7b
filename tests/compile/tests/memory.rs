//! Decoding hostile input allocates at most a small multiple of the input:
//! list counts are trusted for preallocation only as far as the remaining
//! input, not yet promised to enclosing lists, can back them.
//!
//! This test binary counts every allocation with its own global allocator.

use std::sync::Mutex;

use gscluster::Wire;
use gslang_compile_tests::alloc_count::{Counting, allocation_bound, decode_counting};
use gslang_compile_tests::codegen::big_values::{Huge, Names, Rows};
use gslang_compile_tests::codegen::shapes::{Containers, Ping, Scalars, Tree};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The counters are global and tests run on several threads: each test holds
/// this for its whole body, so that no other test allocates while it measures.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn assert_small_multiple<T: Wire>(bytes: &[u8]) {
    let (decoded, peak) = decode_counting::<T>(bytes);
    drop(decoded);
    assert!(
        peak <= allocation_bound(bytes.len()),
        "{peak} bytes allocated to decode {} bytes as {}",
        bytes.len(),
        std::any::type_name::<T>()
    );
}

/// Found by `cargo fuzz run decode`: nested lists each preallocating against
/// the same remaining input.
const FUZZ_CRASH: &[u8] = &[
    2, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 18, 18, 18, 18, 18, 18, 18, 18, 18, 1, 79, 2, 1, 245, 254, 251, 255,
    251, 155, 79, 98,
];

/// Found by `cargo fuzz run decode` next: many one-element lists nested in
/// lists whose counts the input could not back, each growing from empty (a
/// plain `push` reserves four elements for the first).
const FUZZ_CRASH_2: &[u8] = &[
    2, 19, 19, 19, 19, 19, 19, 19, 19, 19, 0, 19, 1, 19, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 9, 2, 4, 2, 1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 1, 1, 2,
    0, 0, 0, 0, 1, 0, 0, 0, 1, 64, 41, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 3, 255, 254, 246, 1, 1, 1, 1, 65, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 122, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    122, 0, 0, 122, 78, 8, 1, 2, 0, 255, 1, 0, 169, 0, 45, 1, 147, 0,
];

#[test]
fn nested_list_counts_cannot_multiply_preallocation() {
    let _only_me = exclusive();
    assert_small_multiple::<Ping>(FUZZ_CRASH);
    assert_small_multiple::<Ping>(FUZZ_CRASH_2);
    assert_small_multiple::<Tree>(FUZZ_CRASH_2);
    assert_small_multiple::<Tree>(FUZZ_CRASH);
    assert_small_multiple::<Vec<Vec<Vec<String>>>>(FUZZ_CRASH);
    // Every level claims as many elements as the rest of the input could hold.
    for depth in [10usize, 50, 99] {
        let mut bytes = Vec::new();
        let len = 4096;
        for _ in 0..depth {
            // A Ping of `len` Pongs... whose first Pong holds the next level.
            bytes.push(0x80 | (len & 0x7f) as u8);
            bytes.push((len >> 7) as u8);
        }
        bytes.resize(bytes.len() + len, 0);
        assert_small_multiple::<Ping>(&bytes);
        assert_small_multiple::<Vec<Vec<Vec<String>>>>(&bytes);
    }
}

#[test]
fn boxed_arrays_allocate_only_what_the_input_can_fill() {
    let _only_me = exclusive();
    // 16 MiB arrays, 1 KiB of input: refused before allocating.
    assert_small_multiple::<Huge>(&[0; 1024]);
    assert_small_multiple::<Rows>(&[3; 1024]);
    let (decoded, peak) = decode_counting::<Huge>(&[0; 1024]);
    assert!(decoded.is_err());
    assert_eq!(peak, 0);
    // Input that can fill one: its size, once.
    let (decoded, peak) = decode_counting::<Huge>(&vec![0; 4096 * 4096]);
    assert!(decoded.is_ok());
    assert_eq!(peak, 4096 * 4096);
    // Strings of one byte on the wire each take 24 bytes in memory.
    let names = gscluster::to_bytes(&Names::default());
    assert_eq!(names.len(), 65_535 + 1 + 2 * 3000 + 4);
    assert_small_multiple::<Names>(&names);
    assert!(gscluster::from_bytes::<Names>(&names).is_ok());
}

#[test]
fn honest_input_still_decodes_with_one_allocation_per_list() {
    let _only_me = exclusive();
    let value: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    let bytes = gscluster::to_bytes(&value);
    assert_small_multiple::<Vec<String>>(&bytes);
    let scalars = Scalars::default();
    assert_small_multiple::<Vec<Scalars>>(&gscluster::to_bytes(&vec![scalars; 100]));
    assert_small_multiple::<Containers>(&gscluster::to_bytes(&Containers::default()));
}
