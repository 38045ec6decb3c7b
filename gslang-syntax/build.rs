//! Generates the LALRPOP parser from `src/gslang.lalrpop`, the executable form
//! of the grammar of the language reference (spec §2).
//!
//! The grammar lives inside the crate, the LALRPOP `use_cargo_dir_conventions`
//! layout, so that `cargo package` ships it; the workspace's `grammar/`
//! directory only points here. The generated parser lands in
//! `OUT_DIR/gslang.rs`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=src/gslang.lalrpop");
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .emit_rerun_directives(false)
        .process()
}
