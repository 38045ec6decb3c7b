//! gs2rust: Rust code generation for gslang schemas.
//!
//! The generated code has one Rust module per gslang module: records become
//! structs, enums become `#[repr]` enums (or bit-set newtypes for `@Flag`),
//! contracts get an enum of their methods by id; every type implements
//! `gscluster::Wire`, the tagless in-order encoding of the wire format.
//! Generated code depends on the `gscluster` crate only.
//!
//! # In `build.rs`
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), gs2rust::Error> {
//!     gs2rust::Builder::new().compile(&["idl/chat.gs"], &["idl"])
//! }
//! ```
//!
//! Then, in the crate (one line brings every generated module in; modules
//! refer to each other as `super::other`, so keep them together):
//!
//! ```ignore
//! pub mod proto {
//!     include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
//! }
//! // proto::chat::ChatMessage, proto::common::Vec3, ...
//! ```
//!
//! The crate needs `gscluster` as a dependency and `gs2rust` as a build
//! dependency.

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod emit;
pub mod errors;
mod format;
pub mod names;
pub mod plugin;
pub mod printer;
mod types;

use std::fmt;
use std::path::{Path, PathBuf};

use gslang_sema::ir::Model;
use gslang_sema::{Analysis, Options};
use gslang_syntax::{Diagnostic, SourceMap};

use crate::errors::GenError;
pub use crate::names::Names;
pub use crate::plugin::{Attributes, Context, Plugin};
pub use crate::printer::Printer;

/// The version written in generated headers.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How `mod.rs` brings in the module files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ModStyle {
    /// `pub mod chat;`: for a directory in the source tree (`gsc compile -o src/proto`).
    #[default]
    Files,
    /// `pub mod chat { include!("chat.rs"); }`: for `include!` from `OUT_DIR`.
    Include,
}

/// Settings of the generator. Start from `GenOptions::default()` and set
/// the fields: new settings will be added without a breaking change.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct GenOptions {
    /// How `mod.rs` declares the modules.
    pub mod_style: ModStyle,
    /// Also generate the built-in module `gslang` (only the runtime does).
    pub include_builtin: bool,
    /// Format each file with prettyplease after generation, for plugins
    /// whose output is not already formatted. gs2rust's own output is in
    /// prettyplease's format already, so this changes only plugins' text;
    /// it needs the `format` feature (without it, this does nothing).
    pub format: bool,
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// The file name, relative to the output directory (`chat.rs`, `mod.rs`).
    pub name: String,
    /// The Rust source.
    pub contents: String,
}

/// The name a header gives a source file: its file name only, so that the
/// output is the same bytes whatever directory `gsc` ran from and however the
/// path was spelled (`gsc compile --check` in CI depends on it).
fn source_name(display_path: &str) -> &str {
    std::path::Path::new(display_path)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(display_path)
}

/// The most method-table entries a schema may generate, over all contracts.
///
/// Each contract's method enum lists its flattened method list, inherited
/// methods included, so a long inheritance chain makes output quadratic in
/// its length: a chain of 10,000 contracts of one method each would be 50
/// million variants (gigabytes of Rust). Real schemas stay far below.
pub const MAX_METHOD_TABLE_ENTRIES: usize = 1 << 20;

/// Reports a schema whose method tables would exceed
/// [`MAX_METHOD_TABLE_ENTRIES`], at the contract with the longest table.
/// Stops counting once past the bound, so the check itself stays linear.
fn method_tables_too_large(model: &Model) -> Option<Diagnostic> {
    let mut total = 0usize;
    let mut longest = (0usize, None);
    for (id, _) in model.contracts().iter() {
        let len: usize = model
            .linearization(id)
            .iter()
            .map(|&c| model.contract(c).methods.len())
            .sum();
        total += len;
        if len > longest.0 {
            longest = (len, Some(id));
        }
        if total > MAX_METHOD_TABLE_ENTRIES {
            break;
        }
    }
    let (len, Some(id)) = longest else {
        return None;
    };
    if total <= MAX_METHOD_TABLE_ENTRIES {
        return None;
    }
    let contract = model.contract(id);
    Some(
        GenError::MethodTablesTooLarge {
            total,
            max: MAX_METHOD_TABLE_ENTRIES,
            contract: contract.name.to_string(),
            span: contract.span,
            len,
        }
        .into(),
    )
}

/// Generates the Rust files for every module of the model (the built-in
/// module excepted): `<module>.rs` each, and `mod.rs` declaring them.
///
/// Fails with diagnostics when two gslang names become one Rust name
/// (E0600), or when the contracts' method tables would be too large
/// (E0601, [`MAX_METHOD_TABLE_ENTRIES`]).
pub fn generate(model: &Model, options: &GenOptions) -> Result<Vec<File>, Vec<Diagnostic>> {
    generate_with_plugins(model, options, &mut [])
}

/// [`generate`], calling `plugins` at the hook points of [`Plugin`], after
/// gs2rust's own ([`plugin::Deprecated`]).
pub fn generate_with_plugins(
    model: &Model,
    options: &GenOptions,
    plugins: &mut [&mut dyn Plugin],
) -> Result<Vec<File>, Vec<Diagnostic>> {
    if let Some(diag) = method_tables_too_large(model) {
        return Err(vec![diag]);
    }
    let mut deprecated = plugin::Deprecated;
    let mut all: Vec<&mut dyn Plugin> = Vec::with_capacity(plugins.len() + 1);
    all.push(&mut deprecated);
    for plugin in plugins.iter_mut() {
        all.push(&mut **plugin);
    }

    let mut reservations = names::Reservations::default();
    for plugin in all.iter_mut() {
        plugin.reserve(model, &mut reservations);
    }
    let names = names::decide(model, reservations)?;
    let types = types::RustTypes::new(model);
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let mut declared: Vec<(&str, &[String])> = Vec::new();
    for (id, module) in model.modules().iter() {
        if module.is_builtin && !options.include_builtin {
            continue;
        }
        let rust = names.module(id);
        let header = format!(
            "// @generated by gsc {VERSION} from {}. Do not edit.",
            source_name(&module.display_path)
        );
        let mut cx = emit::Cx {
            model,
            names: &names,
            types: &types,
            module: id,
            diags: &mut diags,
            plugins: &mut all,
        };
        let contents = emit::module(&mut cx, &header);
        files.push(File {
            name: format!("{rust}.rs"),
            contents: format::maybe(contents, options.format),
        });
        declared.push((rust, &module.docs));
    }
    declared.sort_unstable();
    let mut mod_rs = Printer::new();
    let sources: Vec<&str> = model
        .roots()
        .iter()
        .map(|&root| source_name(&model.module(root).display_path))
        .collect();
    mod_rs.line(format_args!(
        "// @generated by gsc {VERSION} from {}. Do not edit.",
        sources.join(", ")
    ));
    for (rust, docs) in declared {
        mod_rs.docs(docs);
        // `module_inception`: `gsc compile chat.gs -o src/chat` declares
        // `chat` in `chat/mod.rs`, and the layout is the user's choice.
        mod_rs.line(
            "#[allow(dead_code, deprecated, missing_docs, unused_imports, clippy::module_inception)]",
        );
        mod_rs.line("#[rustfmt::skip]");
        match options.mod_style {
            ModStyle::Files => mod_rs.line(format_args!("pub mod {rust};")),
            ModStyle::Include => {
                mod_rs.open(format_args!("pub mod {rust} {{"));
                mod_rs.line(format_args!("include!(\"{rust}.rs\");"));
                mod_rs.close("}");
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.push(File {
        name: "mod.rs".to_owned(),
        contents: mod_rs.finish(),
    });
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(files)
}

/// Why a build-time generation failed.
pub enum Error {
    /// The schema has errors; holds them rendered as on a terminal.
    Schema(String),
    /// A file could not be read or written.
    Io(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Schema(rendered) => write!(f, "the gslang schema has errors:\n\n{rendered}"),
            Error::Io(message) => f.write_str(message),
        }
    }
}

/// Shows the rendered diagnostics, so that `fn main() -> Result<(), Error>`
/// in `build.rs` prints them readably.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

/// Generates Rust from gslang schemas in a build script, in the style of prost-build.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    out_dir: Option<PathBuf>,
    includes: Vec<PathBuf>,
    emit_rerun: bool,
}

impl Builder {
    /// A builder writing to `$OUT_DIR/gslang`.
    pub fn new() -> Builder {
        Builder {
            out_dir: None,
            includes: Vec::new(),
            emit_rerun: true,
        }
    }

    /// Writes the generated files to `dir` instead of `$OUT_DIR/gslang`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Adds a directory to search for imports (like `gsc -I`).
    pub fn include(mut self, dir: impl Into<PathBuf>) -> Self {
        self.includes.push(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every file read (default: yes).
    pub fn emit_rerun_if_changed(mut self, yes: bool) -> Self {
        self.emit_rerun = yes;
        self
    }

    /// Checks `files` (and everything they import, searching `includes`
    /// after each file's own directory) and writes `<module>.rs` for each
    /// module plus `mod.rs`, to be brought in with
    /// `include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));`.
    pub fn compile(
        self,
        files: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
    ) -> Result<(), Error> {
        let mut include_dirs = self.includes.clone();
        include_dirs.extend(includes.iter().map(|p| p.as_ref().to_path_buf()));
        let roots: Vec<PathBuf> = files.iter().map(|p| p.as_ref().to_path_buf()).collect();
        let analysis = gslang_sema::analyze_files(&roots, &Options { include_dirs });
        if self.emit_rerun {
            for path in analysis.loaded_paths() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
            for root in &roots {
                println!("cargo:rerun-if-changed={}", root.display());
            }
        }
        if let Some(e) = analysis.root_errors.first() {
            return Err(Error::Io(format!(
                "cannot read `{}`: {}",
                e.path.display(),
                e.error
            )));
        }
        let model = checked(&analysis)?;
        let generated = generate(
            model,
            &GenOptions {
                mod_style: ModStyle::Include,
                ..GenOptions::default()
            },
        )
        .map_err(|diags| Error::Schema(render_all(&analysis.sources, &diags)))?;
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| {
                Error::Io(
                    "OUT_DIR is not set: call gs2rust::Builder from build.rs, or set out_dir"
                        .into(),
                )
            })?)
            .join("gslang"),
        };
        write_files(&out_dir, &generated)
    }
}

/// The model of an analysis, or its errors rendered; warnings are printed as
/// `cargo:warning` lines.
fn checked(analysis: &Analysis) -> Result<&Model, Error> {
    for d in analysis.diagnostics.iter().filter(|d| !d.is_error()) {
        for line in gslang_syntax::diag::render_short(&analysis.sources, d).lines() {
            println!("cargo:warning={line}");
        }
    }
    analysis
        .model
        .as_ref()
        .ok_or_else(|| Error::Schema(render_all(&analysis.sources, &analysis.diagnostics)))
}

fn render_all(sources: &SourceMap, diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| gslang_syntax::diag::render(sources, d))
        .collect()
}

/// Writes files into `dir`, creating it; files whose contents are unchanged
/// are not rewritten, so that their timestamps do not trigger rebuilds.
pub fn write_files(dir: &Path, files: &[File]) -> Result<(), Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Io(format!("cannot create `{}`: {e}", dir.display())))?;
    for file in files {
        let path = dir.join(&file.name);
        if std::fs::read(&path).is_ok_and(|old| old == file.contents.as_bytes()) {
            continue;
        }
        std::fs::write(&path, &file.contents)
            .map_err(|e| Error::Io(format!("cannot write `{}`: {e}", path.display())))?;
    }
    Ok(())
}
