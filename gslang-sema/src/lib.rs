//! The semantic pass of gslang: from root files to a checked [`Model`].
//!
//! [`analyze`] loads the root files and everything they import (through a
//! [`Loader`], so that this crate does no I/O of its own choosing and none
//! on the terminal), parses them, resolves every name, runs every check of
//! the language reference, evaluates annotations, and returns the model
//! together with all the diagnostics of the run.
//!
//! The passes, in order:
//! 1. [`load`]: module loading and import resolution (spec §3);
//! 2. `collect`: declarations into arenas and scopes;
//! 3. `resolve`: types and contract bases to ids;
//! 4. `check`: enums, records, contracts, then annotations (spec §4–§6).
//!
//! ```
//! use gslang_sema::{analyze_source};
//!
//! let analysis = analyze_source("demo.gs", "enum Color { Red, Green, Blue }");
//! let model = analysis.model.expect("no errors");
//! let color = model.enums.iter().find(|e| e.name == "Color").unwrap();
//! assert_eq!(color.values[2].value, 2);
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod check;
mod collect;
mod cx;
mod graph;
pub mod ir;
pub mod load;
pub mod loader;
mod resolve;
mod suggest;

use std::path::PathBuf;

use gslang_syntax::{Diagnostic, SourceMap};

pub use ir::Model;
pub use load::RootError;
pub use loader::{FsLoader, Loader, MemoryLoader};
pub use resolve::{MAX_ARRAY_LEN, MAX_TYPE_DEPTH};

/// Settings of a run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Directories searched for imports, in order, after the importing file's own directory.
    pub include_dirs: Vec<PathBuf>,
}

/// The result of [`analyze`].
#[derive(Debug)]
pub struct Analysis {
    /// Every file read, the built-in module included.
    pub sources: SourceMap,
    /// Every error and warning, ordered by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The checked model; `None` if there is any error (warnings allowed) or a root could not be read.
    pub model: Option<Model>,
    /// Root files that could not be read at all.
    pub root_errors: Vec<RootError>,
}

impl Analysis {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The paths of every file read from disk, for build systems to watch.
    pub fn loaded_paths(&self) -> Vec<PathBuf> {
        self.sources
            .iter()
            .filter_map(|(_, f)| f.path.clone())
            .collect()
    }
}

/// Loads, parses and checks `roots` and every module they import.
pub fn analyze(roots: &[PathBuf], options: &Options, loader: &mut dyn Loader) -> Analysis {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let loaded = load::load(
        roots,
        &options.include_dirs,
        loader,
        &mut sources,
        &mut diagnostics,
    );

    let mut cx = cx::Cx::new(&loaded.modules);
    cx.collect();
    cx.find_builtins();
    cx.resolve();
    cx.check_enums();
    cx.check_records();
    cx.check_contracts();
    cx.mark_enum_kinds();
    cx.check_annotations();
    cx.check_flags();

    let cx::Cx {
        diags,
        modules,
        records,
        enums,
        contracts,
        builtins,
        ..
    } = cx;
    diagnostics.extend(diags);
    // Stable: diagnostics at the same place keep the order the passes found them in.
    diagnostics.sort_by_key(|d| {
        (
            d.primary.span.file,
            d.primary.span.start,
            d.primary.span.end,
        )
    });

    let ok = !diagnostics.iter().any(Diagnostic::is_error) && loaded.root_errors.is_empty();
    let model = match builtins {
        Some(builtins) if ok => Some(Model {
            modules,
            roots: loaded.roots,
            records,
            enums,
            contracts,
            builtins,
        }),
        _ => None,
    };
    Analysis {
        sources,
        diagnostics,
        model,
        root_errors: loaded.root_errors,
    }
}

/// Checks files on disk.
pub fn analyze_files(roots: &[PathBuf], options: &Options) -> Analysis {
    analyze(roots, options, &mut FsLoader)
}

/// Checks one in-memory source (tests, tools); it can import nothing.
pub fn analyze_source(name: &str, text: &str) -> Analysis {
    let mut loader = MemoryLoader::new();
    loader.add(name, text);
    analyze(&[PathBuf::from(name)], &Options::default(), &mut loader)
}
