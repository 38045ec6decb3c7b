//! Generates the LALRPOP parser from `grammar/gslang.lalrpop` at the workspace root.
//!
//! The grammar lives outside the crate so that it reads as the executable form of
//! the language reference; the generated parser lands in `OUT_DIR/gslang.rs`.

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let grammar_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../grammar");
    println!("cargo:rerun-if-changed={grammar_dir}/gslang.lalrpop");
    lalrpop::Configuration::new()
        .set_in_dir(grammar_dir)
        .set_out_dir(&out_dir)
        .emit_rerun_directives(false)
        .process()
        .expect("the gslang grammar compiles");
}
