//! The code gs2rust generates for the test schemas, brought in with the
//! one-line `include!` the build.rs API documents. CI compiles it with
//! `-D warnings` and clippy; the tests in `tests/` exercise it.

/// `tests/codegen/*.gs`: every type shape, and names that shadow std's.
pub mod codegen {
    include!(concat!(env!("OUT_DIR"), "/codegen/mod.rs"));
}

/// `tests/codegen/invisible-characters.gs`: text-direction controls and lone
/// carriage returns in comments and strings.
pub mod invisible {
    include!(concat!(env!("OUT_DIR"), "/invisible/mod.rs"));
}

/// `tests/valid/*.gs`.
pub mod valid {
    include!(concat!(env!("OUT_DIR"), "/valid/mod.rs"));
}

/// `samples/*.gs`.
pub mod samples {
    include!(concat!(env!("OUT_DIR"), "/samples/mod.rs"));
}

pub mod alloc_count;
