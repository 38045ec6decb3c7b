//! Decodes arbitrary bytes into generated types of every shape (recursive ones
//! and boxed arrays included). It must never panic or abort, accepted input
//! must re-encode to the same bytes, and no decode may allocate more than a
//! small multiple of its input.
//!
//! Run with `cargo +nightly fuzz run decode` from the repository root.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code, deprecated, missing_docs, unused_imports)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

/// The counting allocator and the bound, shared with the memory test.
#[path = "../../tests/compile/src/alloc_count.rs"]
mod alloc_count;

use alloc_count::{Counting, allocation_bound, decode_counting};
use generated::big_values::{Chain, Empties, Fat, Huge, Node, Rows};
use generated::shapes::{Containers, Ping, Plain, Scalars, Tree};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Decodes `bytes` as `T`; checks the allocation bound and canonical re-encoding.
fn check<T: gscluster::Wire>(bytes: &[u8]) {
    let (decoded, used) = decode_counting::<T>(bytes);
    assert!(
        used <= allocation_bound(bytes.len()),
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
    // Boxed arrays, and recursion charged in bytes.
    check::<Huge>(data);
    check::<Rows>(data);
    check::<Node>(data);
    check::<Fat>(data);
    check::<Chain>(data);
    check::<Empties>(data);
});
