//! Module loading (spec §3): reads the root files and, transitively, every
//! file they import, each once; parses them; resolves import paths; reports
//! missing files, name collisions and import cycles.
//!
//! The built-in module `gslang` is module 0: its source is embedded and parsed
//! like any other file.

use std::path::{Path, PathBuf};

use gslang_syntax::ast;
use gslang_syntax::{Diagnostic, FileId, SourceMap, Span};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use crate::errors::LoadError;
use crate::ids::make;
use crate::ir::ModuleId;
use crate::loader::{Loader, normalize};

/// The source of the built-in module.
pub const BUILTIN_SOURCE: &str = include_str!("gslang.gs");

/// The name of the built-in module.
pub const BUILTIN_NAME: &str = "gslang";

/// A file that was loaded and parsed.
#[derive(Debug)]
pub(crate) struct LoadedModule {
    pub name: SmolStr,
    pub file: FileId,
    pub path: Option<PathBuf>,
    pub display_path: String,
    pub ast: ast::File,
    pub imports: Vec<ImportEdge>,
    /// Names of imports whose file could not be loaded (already reported):
    /// references through them are not reported again.
    pub failed_imports: Vec<SmolStr>,
    pub is_builtin: bool,
}

/// A resolved import.
#[derive(Debug, Clone)]
pub(crate) struct ImportEdge {
    /// The name the module is referred to by: the alias or the stem.
    pub name: SmolStr,
    pub module: ModuleId,
    /// The path literal.
    pub span: Span,
}

/// A root file that could not be read.
#[derive(Debug)]
pub struct RootError {
    /// The path as given.
    pub path: PathBuf,
    /// What went wrong.
    pub error: std::io::Error,
}

#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub modules: Vec<LoadedModule>,
    pub roots: Vec<ModuleId>,
    pub root_errors: Vec<RootError>,
}

struct LoadCx<'a> {
    loader: &'a mut dyn Loader,
    include_dirs: &'a [PathBuf],
    sources: &'a mut SourceMap,
    diags: &'a mut Vec<Diagnostic>,
    loaded: Loaded,
    by_path: FxHashMap<PathBuf, ModuleId>,
}

pub(crate) fn load(
    roots: &[PathBuf],
    include_dirs: &[PathBuf],
    loader: &mut dyn Loader,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Loaded {
    let mut cx = LoadCx {
        loader,
        include_dirs,
        sources,
        diags,
        loaded: Loaded::default(),
        by_path: FxHashMap::default(),
    };
    cx.add_builtin();
    for root in roots {
        let canonical = match cx.loader.canonicalize(root) {
            Ok(p) => p,
            Err(error) => {
                cx.loaded.root_errors.push(RootError {
                    path: root.clone(),
                    error,
                });
                continue;
            }
        };
        if let Some(&id) = cx.by_path.get(&canonical) {
            if !cx.loaded.roots.contains(&id) {
                cx.loaded.roots.push(id);
            }
            continue;
        }
        match cx.loader.read(&canonical) {
            Ok(bytes) => {
                let display = root.display().to_string();
                if let Some(id) = cx.add_file(canonical, display, bytes, None) {
                    cx.loaded.roots.push(id);
                }
            }
            Err(error) => cx.loaded.root_errors.push(RootError {
                path: root.clone(),
                error,
            }),
        }
    }
    // Resolve imports breadth-first; new modules are appended as they are found.
    let mut next = 1;
    while next < cx.loaded.modules.len() {
        cx.resolve_imports(make(next));
        next += 1;
    }
    cx.check_cycles();
    cx.loaded
}

impl LoadCx<'_> {
    fn add_builtin(&mut self) {
        let file = self
            .sources
            .add("<gslang>", None, BUILTIN_SOURCE.as_bytes().to_vec())
            .unwrap_or_default();
        let parsed = gslang_syntax::parse(file, self.sources.file(file));
        self.diags.extend(parsed.diagnostics);
        self.loaded.modules.push(LoadedModule {
            name: BUILTIN_NAME.into(),
            file,
            path: None,
            display_path: "<gslang>".into(),
            ast: parsed.file,
            imports: Vec::new(),
            failed_imports: Vec::new(),
            is_builtin: true,
        });
    }

    /// Adds and parses a file. `import_span` is the import that loaded it.
    fn add_file(
        &mut self,
        canonical: PathBuf,
        display: String,
        bytes: Vec<u8>,
        import_span: Option<Span>,
    ) -> Option<ModuleId> {
        let size = bytes.len();
        let file = match self.sources.add(display.clone(), Some(&canonical), bytes) {
            Ok(file) => file,
            Err(_) => {
                let max = gslang_syntax::source::MAX_FILE_SIZE;
                match import_span {
                    Some(span) => self.diags.push(
                        LoadError::FileTooLarge {
                            path: display,
                            size,
                            max,
                            span,
                        }
                        .into(),
                    ),
                    None => self.loaded.root_errors.push(RootError {
                        path: display.clone().into(),
                        error: std::io::Error::other(format!(
                            "`{display}` is too large ({size} bytes; at most {max} bytes)"
                        )),
                    }),
                }
                return None;
            }
        };
        let parsed = gslang_syntax::parse(file, self.sources.file(file));
        self.diags.extend(parsed.diagnostics);
        let id: ModuleId = make(self.loaded.modules.len());
        let name: SmolStr = canonical
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
            .as_ref()
            .into();
        self.by_path.insert(canonical.clone(), id);
        self.loaded.modules.push(LoadedModule {
            name,
            file,
            path: Some(canonical),
            display_path: display,
            ast: parsed.file,
            imports: Vec::new(),
            failed_imports: Vec::new(),
            is_builtin: false,
        });
        Some(id)
    }

    fn resolve_imports(&mut self, id: ModuleId) {
        let module = &self.loaded.modules[id.index()];
        let dir = module
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let display_dir = Path::new(&module.display_path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let imports: Vec<ast::Import> = module.ast.imports.clone();
        let mut names: FxHashMap<SmolStr, (Span, Option<ModuleId>)> = FxHashMap::default();
        let mut edges = Vec::new();
        let mut failed = Vec::new();
        for import in &imports {
            let target = self.find_import(&dir, &display_dir, import);
            let (name, name_span) = match &import.alias {
                Some(alias) => (alias.name.clone(), alias.span),
                None => {
                    let stem = Path::new(&import.path.value)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if !is_identifier(&stem) {
                        let literal = self
                            .sources
                            .file(import.path.span.file)
                            .slice(import.path.span)
                            .to_owned();
                        self.diags.push(
                            LoadError::BadModuleName {
                                alias: suggest_identifier(&stem),
                                stem,
                                span: import.path.span,
                                literal,
                            }
                            .into(),
                        );
                        continue;
                    }
                    (SmolStr::from(stem), import.path.span)
                }
            };
            if name == BUILTIN_NAME {
                self.diags
                    .push(LoadError::ImportNamedGslang { span: name_span }.into());
                continue;
            }
            if let Some(&(first, first_target)) = names.get(&name) {
                let same_file = first_target.is_some() && first_target == target;
                self.diags.push(
                    LoadError::DuplicateImport {
                        name,
                        span: name_span,
                        first,
                        same_file: same_file.then(|| import.path.value.clone()),
                    }
                    .into(),
                );
                continue;
            }
            names.insert(name.clone(), (name_span, target));
            match target {
                Some(module) => edges.push(ImportEdge {
                    name,
                    module,
                    span: import.path.span,
                }),
                None => failed.push(name),
            }
        }
        self.loaded.modules[id.index()].imports = edges;
        self.loaded.modules[id.index()].failed_imports = failed;
    }

    /// Finds, reads and registers the file an import names.
    fn find_import(
        &mut self,
        dir: &Path,
        display_dir: &Path,
        import: &ast::Import,
    ) -> Option<ModuleId> {
        let mut rel = PathBuf::from(&import.path.value);
        if rel.extension().is_none_or(|ext| ext != "gs") {
            let mut name = rel.into_os_string();
            name.push(".gs");
            rel = PathBuf::from(name);
        }
        let mut candidates = vec![(dir.join(&rel), display_dir.join(&rel))];
        for inc in self.include_dirs {
            candidates.push((inc.join(&rel), inc.join(&rel)));
        }
        for (candidate, display) in &candidates {
            let Ok(canonical) = self.loader.canonicalize(candidate) else {
                continue;
            };
            if let Some(&id) = self.by_path.get(&canonical) {
                return Some(id);
            }
            return match self.loader.read(&canonical) {
                Ok(bytes) => {
                    let display = normalize(display).display().to_string();
                    self.add_file(canonical, display, bytes, Some(import.path.span))
                }
                Err(err) => {
                    self.diags.push(
                        LoadError::UnreadableImport {
                            path: normalize(display).display().to_string(),
                            error: err.to_string(),
                            span: import.path.span,
                        }
                        .into(),
                    );
                    None
                }
            };
        }
        let looked = candidates
            .iter()
            .map(|(_, display)| normalize(display).display().to_string())
            .collect();
        self.diags.push(
            LoadError::ModuleNotFound {
                path: import.path.value.clone(),
                span: import.path.span,
                looked,
                has_include_dirs: !self.include_dirs.is_empty(),
            }
            .into(),
        );
        None
    }

    /// Reports every import cycle once, at the import that closes it.
    fn check_cycles(&mut self) {
        let modules = &self.loaded.modules;
        let found = crate::graph::cycles(modules.len(), |node, i| {
            modules[node].imports.get(i).map(|e| Some(e.module.index()))
        });
        for cycle in found {
            let &(last, edge) = cycle.last().unwrap_or(&(0, 0));
            let span = modules[last].imports[edge].span;
            let cycle = if cycle.len() == 1 {
                vec![modules[last].name.to_string()]
            } else {
                cycle
                    .iter()
                    .map(|&(m, _)| modules[m].display_path.clone())
                    .collect()
            };
            self.diags
                .push(LoadError::ImportCycle { span, cycle }.into());
        }
    }
}

/// Formats a cycle `a → b → … → a`, eliding the middle of very long ones.
pub(crate) fn elide_cycle(names: &[&str]) -> String {
    const KEEP: usize = 8;
    if names.len() <= 2 * KEEP + 1 {
        return names.join(" → ");
    }
    let head = names[..KEEP].join(" → ");
    let tail = names[names.len() - KEEP..].join(" → ");
    format!("{head} → … ({} more) … → {tail}", names.len() - 2 * KEEP)
}

/// Whether `s` is a gslang identifier.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn suggest_identifier(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}
