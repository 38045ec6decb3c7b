//! `gsc`, the gslang schema compiler.
//!
//! This is the only crate of the toolchain that talks to the terminal: the
//! libraries return data (a model, diagnostics) and `gsc` decides how to
//! print them and which exit code to use.
//!
//! Exit codes: 0 success, 1 the schema has errors (`fmt --check`: files are
//! not formatted; `compat`: a change breaks wire compatibility), 2 usage or
//! I/O errors.

mod cmd;
mod ir;
mod plugin;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// The gslang schema compiler.
///
/// gsc reads gslang interface descriptions (`.gs` files), checks them, and
/// generates Rust code for their types and services.
#[derive(Parser, Debug)]
#[command(
    name = "gsc",
    version,
    about,
    long_about = None,
    after_help = "Exit status: 0 on success, 1 if the schema has errors, 2 on usage or I/O errors.\n\nRun `gsc help <COMMAND>` for the options of a command."
)]
enum Cli {
    /// Check schemas and report every error, without generating code
    ///
    /// Loads each FILE and every file it imports, checks them against the
    /// gslang language reference, and prints all errors and warnings found.
    /// Prints nothing when the schemas are clean.
    Check(cmd::check::Opts),
    /// Generate Rust code from schemas
    ///
    /// Checks each FILE and every file it imports, then writes `<module>.rs`
    /// for each of those modules and a `mod.rs` declaring them into DIR.
    /// Declare the directory as a module of your crate (`mod proto;` for
    /// `src/proto`) and depend on the `gscluster` crate. Files whose contents
    /// would not change are left untouched; files gsc generated there before
    /// for modules that are gone are removed, and no other file is. With
    /// `--plugin`, external back ends generate instead (docs/plugins.md).
    Compile(cmd::compile::Opts),
    /// Format schemas in the canonical style
    ///
    /// Rewrites each FILE, and every `*.gs` file under each DIR
    /// (recursively), in place in the style of docs/style.md: comments,
    /// blank lines between items and literals are kept; the checked model
    /// never changes. Files already formatted are not written. A file with
    /// syntax errors is left as it is: its errors are printed and the exit
    /// status is 1.
    Fmt(cmd::fmt::Opts),
    /// Check that a new version of schemas is wire-compatible with an old one
    ///
    /// OLD and NEW are two schema files, or two directories of them (every
    /// `*.gs` file under each, recursively). Modules are paired by name, so
    /// the usual layout is the same files in two trees: `old/chat.gs` and
    /// `new/chat.gs`. Every change that breaks what peers of the two
    /// versions exchange is an error, with labels in both versions and the
    /// contracts whose calls it breaks; changes old or new peers may reject
    /// are warnings; changes that only break source code or routing by name
    /// are notes.
    Compat(cmd::compat::Opts),
    /// Print the checked model as JSON, for external back ends
    ///
    /// Checks each FILE and every file it imports, then prints the model on
    /// stdout as one JSON document (`"version": 1`, described by
    /// docs/ir.schema.json): modules, records, enums and contracts with
    /// their flattened method lists, every annotation evaluated. It is what
    /// `gsc compile --plugin` gives external back ends.
    Ir(cmd::ir::Opts),
    /// Convert schemas of the original toolchain's 2014 and 2015 dialects
    ///
    /// Converts each FILE, and every `*.gs` file under each DIR, from the
    /// old dialects (`package`/`using` headers, `[Attr]` annotations, types
    /// before names, `void`, `throws`) to the current language, in place or
    /// under DIR (`-o`): a `using` becomes an import of the file that
    /// declares the type, among the files converted together or mapped with
    /// `--map PACKAGE=FILE`. Comments are kept and the output is formatted.
    /// What has no counterpart is reported with its span; a file that cannot
    /// be converted is not written. The wire format of the old dialects is
    /// not this one's (docs/migrate.md).
    Migrate(cmd::migrate::Opts),
    /// Run the language server on standard input and output
    ///
    /// Speaks the Language Server Protocol for editors: diagnostics as you
    /// type, go to definition, find references, hover, completion, document
    /// symbols and formatting. Editors start it themselves; see the README
    /// for VS Code, Neovim and Helix.
    Lsp(cmd::lsp::Opts),
}

/// An error that is not about the schema: bad usage or I/O. Exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli {
        Cli::Check(opts) => opts.run(),
        Cli::Compile(opts) => opts.run(),
        Cli::Fmt(opts) => opts.run(),
        Cli::Compat(opts) => opts.run(),
        Cli::Ir(opts) => opts.run(),
        Cli::Migrate(opts) => opts.run(),
        Cli::Lsp(opts) => opts.run(),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            report::fatal(&message);
            ExitCode::from(2)
        }
    }
}
