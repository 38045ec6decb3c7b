//! Parses and checks arbitrary bytes as a gslang file, and renders every
//! diagnostic: none of it may panic, whatever the input.
//!
//! Run with `cargo +nightly fuzz run check fuzz/corpus/check fuzz/seeds/check`
//! from the repository root (new inputs go to the first directory).

#![no_main]

use std::path::PathBuf;

use gslang_sema::{MemoryLoader, Options, analyze};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut loader = MemoryLoader::new();
    loader.add("fuzz.gs", data.to_vec());
    // A second file the input may import, so that imports get exercised too.
    loader.add("other.gs", b"struct Other { ID byte; }\ncontract Base { Ping(); }\n".to_vec());
    let analysis = analyze(&[PathBuf::from("fuzz.gs")], &Options::default(), &mut loader);
    for diagnostic in &analysis.diagnostics {
        let _ = gslang_syntax::diag::render(&analysis.sources, diagnostic);
        let _ = gslang_syntax::diag::render_json(&analysis.sources, diagnostic);
    }
    assert_eq!(analysis.model.is_some(), !analysis.has_errors());
});
