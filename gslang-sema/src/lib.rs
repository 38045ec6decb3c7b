//! The semantic pass of gslang: from root files to a checked [`Model`].
//!
//! [`analyze`] loads the root files and everything they import (through a
//! [`Loader`], so that this crate does no I/O of its own choosing and none
//! on the terminal), parses them, resolves every name, runs every check of
//! the language reference, evaluates annotations, computes layouts, and
//! returns the model together with all the diagnostics of the run.
//!
//! The passes, in order, each a function of what the ones before produced:
//! 1. [`load`]: module loading and import resolution (spec §3) → the
//!    modules with their ASTs and import edges;
//! 2. `collect`: declarations into id-indexed tables and per-module scopes;
//!    `builtins` then finds the declarations of the built-in module;
//! 3. `resolve`: types and contract bases to ids → the IR records and
//!    contracts;
//! 4. `check`: enums (numbering their values → the IR enums), records,
//!    contracts (spec §4–§5);
//! 5. `annotations`: evaluation to typed values, `@Usage`, `@Flag`, `@Error`,
//!    `@Async` (spec §6);
//! 6. `layout`: encoded sizes and recursion, for a schema without errors.
//!
//! The model's types are in [`ir`]; every diagnostic the passes report is
//! declared in [`errors`].
//!
//! ```
//! use gslang_sema::analyze_source;
//!
//! let analysis = analyze_source("demo.gs", "enum Color { Red, Green, Blue }");
//! let model = analysis.model.expect("no errors");
//! let (_, color) = model.enums().iter().find(|(_, e)| e.name == "Color").unwrap();
//! assert_eq!(color.values[2].value, 2);
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod annotations;
mod builtins;
mod check;
mod collect;
pub mod errors;
mod graph;
mod ids;
mod inherit;
pub mod ir;
mod layout;
pub mod load;
pub mod loader;
mod resolve;
mod suggest;
mod validate;

use std::path::PathBuf;

use gslang_syntax::{Diagnostic, FileId, SourceMap, ast};
use smol_str::SmolStr;

pub use annotations::{MAX_VALUE_DEPTH, MAX_VALUE_SIZE};
pub use check::contracts::MAX_METHODS;
pub use errors::PHASES;
pub use ir::Model;
pub use load::RootError;
pub use loader::{FsLoader, Loader, MemoryLoader, OverlayLoader};
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
    /// Every module loaded, as parsed, with or without errors: what editors
    /// navigate. Indexed by the same ids as the model's modules.
    pub modules: ir::Arena<ir::ModuleId, ParsedModule>,
}

/// A module as loaded and parsed, whether or not the schema has errors.
#[derive(Debug)]
#[non_exhaustive]
pub struct ParsedModule {
    /// The module name: the file stem (`gslang` for the built-in module).
    pub name: SmolStr,
    /// The file in the source map.
    pub file: FileId,
    /// The canonical path of the file; `None` for the built-in module.
    pub path: Option<PathBuf>,
    /// Whether this is the built-in module `gslang`.
    pub is_builtin: bool,
    /// The syntax tree, as the parser recovered it.
    pub ast: ast::File,
    /// The imports that resolved to a module, by the name they are referred to by.
    pub imports: Vec<ir::Import>,
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
    let mut diags = Vec::new();
    let loaded = load::load(
        roots,
        &options.include_dirs,
        loader,
        &mut sources,
        &mut diags,
    );
    let model = model(&loaded, &mut diags);
    // Stable: diagnostics at the same place keep the order the passes found them in.
    diags.sort_by_key(|d| {
        (
            d.primary.span.file,
            d.primary.span.start,
            d.primary.span.end,
        )
    });
    let ok = !diags.iter().any(Diagnostic::is_error) && loaded.root_errors.is_empty();
    let mut modules = ir::Arena::new();
    for module in loaded.modules {
        modules.push(ParsedModule {
            name: module.name,
            file: module.file,
            path: module.path,
            is_builtin: module.is_builtin,
            ast: module.ast,
            imports: module
                .imports
                .into_iter()
                .map(|e| ir::Import {
                    name: e.name,
                    module: e.module,
                    span: e.span,
                })
                .collect(),
        });
    }
    Analysis {
        sources,
        diagnostics: diags,
        model: model.filter(|_| ok),
        root_errors: loaded.root_errors,
        modules,
    }
}

/// Passes 2 to 6 over the loaded modules; the model is meaningful only if
/// no error was reported.
fn model(loaded: &load::Loaded, diags: &mut Vec<Diagnostic>) -> Option<Model> {
    let collected = collect::collect(&loaded.modules, diags);
    let builtins = builtins::find(&collected);
    let resolve::Resolved {
        mut records,
        mut contracts,
        base_spans,
    } = resolve::resolve(&collected, diags);
    let mut enums = check::enums::number(&collected, diags);
    check::records::check(&collected, &records, diags);
    check::contracts::check(&collected, &contracts, &base_spans, diags);
    // Without the built-in declarations (only if the embedded source is
    // broken, which its own diagnostics show) annotations mean nothing.
    let builtins = builtins?;
    annotations::mark_enum_kinds(&collected, &builtins, &mut enums);
    let module_annotations = annotations::evaluate(
        &collected,
        &builtins,
        annotations::Items {
            records: &mut records,
            enums: &mut enums,
            contracts: &mut contracts,
        },
        diags,
    );
    check::enums::check_flags(&enums, diags);
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }

    let mut modules = ir::Arena::new();
    for ((module, items), annotations) in loaded
        .modules
        .iter()
        .zip(collected.items)
        .zip(module_annotations)
    {
        modules.push(ir::Module {
            name: module.name.clone(),
            file: module.file,
            path: module.path.clone(),
            display_path: module.display_path.clone(),
            is_builtin: module.is_builtin,
            imports: module
                .imports
                .iter()
                .map(|e| ir::Import {
                    name: e.name.clone(),
                    module: e.module,
                    span: e.span,
                })
                .collect(),
            docs: module.ast.docs.0.clone(),
            annotations,
            items,
        });
    }
    let layouts = layout::compute(&records, &enums);
    let model = Model {
        modules,
        roots: loaded.roots.clone(),
        records,
        enums,
        contracts,
        builtins,
        layouts,
    };
    #[cfg(debug_assertions)]
    model.assert_valid();
    Some(model)
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
