//! A global allocator that counts allocations (`alloc`, `alloc_zeroed` and
//! `realloc`), in all and by size class, and the bytes allocated and not
//! freed, so that the benchmark can report allocations per call, their
//! sizes, and the heap an idle connection holds.
//!
//! The counters are bumped with a relaxed load and store, not an atomic
//! read-modify-write: a plain `add` to memory, about a cycle, where a
//! `lock xadd` per allocation cost 7% of gscluster's throughput at 64 calls
//! in flight. Client and server run on the one runtime thread, so the
//! counts are exact for the benchmark's work; increments racing on other
//! threads (tokio's blocking pool, the idle benchmark's stdin thread) may be
//! lost, and they allocate next to nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// Size classes: `..=16`, `..=32`, … `..=2^(CLASSES+3)`, and the rest in the last.
pub const CLASSES: usize = 14;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BY_CLASS: [AtomicU64; CLASSES] = [const { AtomicU64::new(0) }; CLASSES];
static LIVE: AtomicU64 = AtomicU64::new(0);

#[inline]
fn bump(c: &AtomicU64) {
    c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
}

#[inline]
fn class(size: usize) -> usize {
    let bits = usize::BITS - size.saturating_sub(1).leading_zeros();
    (bits.saturating_sub(4) as usize).min(CLASSES - 1)
}

#[inline]
fn add(c: &AtomicU64, n: usize) {
    c.store(
        c.load(Ordering::Relaxed).wrapping_add(n as u64),
        Ordering::Relaxed,
    );
}

#[inline]
fn sub(c: &AtomicU64, n: usize) {
    c.store(
        c.load(Ordering::Relaxed).wrapping_sub(n as u64),
        Ordering::Relaxed,
    );
}

#[inline]
fn record(size: usize) {
    bump(&ALLOCS);
    bump(&BY_CLASS[class(size)]);
}

/// The system allocator, counting.
#[derive(Debug)]
pub struct Counting;

// SAFETY: every method forwards to `System` unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        add(&LIVE, layout.size());
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        add(&LIVE, layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(&LIVE, layout.size());
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        add(&LIVE, new_size);
        sub(&LIVE, layout.size());
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (and reallocations) so far, in the whole process.
pub fn count() -> u64 {
    ALLOCS.load(Ordering::Relaxed)
}

/// Bytes allocated and not freed (as requested, without the allocator's
/// own overhead per block).
pub fn live_bytes() -> u64 {
    LIVE.load(Ordering::Relaxed)
}

/// Allocations so far by size class.
pub fn by_class() -> [u64; CLASSES] {
    std::array::from_fn(|i| BY_CLASS[i].load(Ordering::Relaxed))
}

/// The largest size of class `i` (`None` for the last, open class).
pub fn class_limit(i: usize) -> Option<usize> {
    (i + 1 < CLASSES).then(|| 16 << i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes() {
        assert_eq!(class(0), 0);
        assert_eq!(class(16), 0);
        assert_eq!(class(17), 1);
        assert_eq!(class(32), 1);
        assert_eq!(class(33), 2);
        assert_eq!(class(4096), 8);
        assert_eq!(class(usize::MAX), CLASSES - 1);
        for i in 0..CLASSES - 1 {
            assert_eq!(class(class_limit(i).unwrap()), i);
            assert_eq!(class(class_limit(i).unwrap() + 1), i + 1);
        }
    }
}
