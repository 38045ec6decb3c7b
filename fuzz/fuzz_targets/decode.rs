//! Decodes arbitrary bytes into generated types of every shape (recursive ones
//! included). It must never panic or abort, accepted input must re-encode to
//! the same bytes, and no decode may allocate more than a small multiple of
//! its input.
//!
//! Run with `cargo +nightly fuzz run decode` from the repository root.

#![no_main]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use libfuzzer_sys::fuzz_target;

#[allow(dead_code, deprecated, missing_docs, unused_imports)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

use generated::shapes::{Containers, Ping, Plain, Scalars, Tree};

/// Counts the bytes live on the heap and the peak since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Decodes `bytes` as `T`; checks the allocation bound and canonical re-encoding.
fn check<T: gscluster::Wire>(bytes: &[u8]) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let decoded = gscluster::from_bytes::<T>(bytes);
    let used = PEAK.load(Ordering::Relaxed) - before;
    // Each element of a list takes at least one byte of input and at most a few
    // dozen bytes in memory (a `String` or `Vec` header is 24).
    assert!(
        used <= 64 * bytes.len() + 4096,
        "{used} bytes allocated for {} bytes of input",
        bytes.len()
    );
    if let Ok(value) = decoded {
        assert_eq!(gscluster::to_bytes(&value), bytes, "accepted input re-encodes differently");
    }
}

fuzz_target!(|data: &[u8]| {
    check::<Scalars>(data);
    check::<Containers>(data);
    check::<Tree>(data);
    check::<Ping>(data);
    check::<Plain>(data);
    check::<Vec<String>>(data);
    check::<Vec<Vec<u64>>>(data);
});
