//! Counting the heap while decoding: a global allocator that tracks the bytes
//! live and their peak, and the bound hostile input must stay within.
//!
//! Shared by `tests/memory.rs` and the fuzz target `decode` (which includes
//! this file by path). Each declares `#[global_allocator] static A: Counting
//! = Counting;`; without it nothing is counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting on the side.
#[derive(Debug)]
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator; only counts on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, which is ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Decodes `bytes` as `T`; returns the result and the peak of bytes
/// allocated meanwhile. The counters are global: callers on several threads
/// must not decode at the same time.
pub fn decode_counting<T: gscluster::Wire>(bytes: &[u8]) -> (gscluster::Result<T>, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let decoded = gscluster::from_bytes::<T>(bytes);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (decoded, peak)
}

/// The most decoding `input_len` bytes may allocate. Each element of a list
/// takes at least one byte of input and at most a few dozen bytes in memory:
/// a `String` or `Vec` header is 24 bytes for a 1-byte empty value on the
/// wire, so 24× is inherent; the bound leaves room for growth.
pub fn allocation_bound(input_len: usize) -> usize {
    64 * input_len + 4096
}
