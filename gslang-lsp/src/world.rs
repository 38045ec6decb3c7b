//! The server's state: the open documents, the settings, and the analyses
//! of the documents as they are now.
//!
//! An analysis is a [`Snapshot`]: a run of the semantic pass from one root
//! over the open buffers overlaid on the file system, with its [`Index`].
//! Snapshots are cached until anything changes (an edit, a file saved or
//! changed on disk): every change bumps a generation number, and a snapshot
//! of an older generation is recomputed when next asked for.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::OnceLock;

use gslang_sema::ir::ModuleId;
use gslang_sema::{Analysis, Options, OverlayLoader};
use gslang_syntax::{FileId, SourceFile, Span};
use lsp_types::{Location, Range, Uri};
use rustc_hash::FxHashMap;

use crate::convert::{self, Encoding};
use crate::index::Index;

/// An open document.
#[derive(Debug)]
pub struct Doc {
    /// Its URI as the client sent it.
    pub uri: Uri,
    /// The path it stands for (for a URI that is not `file:`, a made-up one).
    pub path: PathBuf,
    /// The text of the buffer.
    pub text: String,
    /// The client's version.
    pub version: i32,
}

/// One analysis and its index.
#[derive(Debug)]
pub struct Snapshot {
    /// The result of the semantic pass.
    pub analysis: Analysis,
    /// Names resolved for navigation.
    pub index: Index,
    /// The URIs of the open documents, by path: locations in them use the
    /// client's own spelling (and its scheme, for unsaved buffers).
    pub uris: FxHashMap<PathBuf, Uri>,
}

impl Snapshot {
    /// The module whose file is `path` (canonical), with its file.
    pub fn module_at(&self, path: &Path) -> Option<(ModuleId, FileId)> {
        self.analysis
            .modules
            .iter()
            .find(|(_, m)| !m.is_builtin && m.path.as_deref() == Some(path))
            .map(|(id, m)| (id, m.file))
    }

    /// The source file of a span.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.analysis.sources.get(id)
    }

    /// Where a span is, for the client; the built-in module is shown from a
    /// copy of its source written to a temporary directory.
    pub fn location(&self, span: Span, enc: Encoding) -> Option<Location> {
        let file = self.file(span.file)?;
        let range = convert::range(file, span, enc);
        let path = match &file.path {
            Some(path) => path.clone(),
            None if file.text == gslang_sema::load::BUILTIN_SOURCE => builtin_path()?.to_path_buf(),
            None => return None,
        };
        if let Some(uri) = self.uris.get(&path) {
            return Some(Location::new(uri.clone(), range));
        }
        let uri = convert::path_to_uri(&path)?;
        Some(Location::new(uri, range))
    }

    /// The range of a span in its file.
    pub fn range(&self, span: Span, enc: Encoding) -> Option<Range> {
        Some(convert::range(self.file(span.file)?, span, enc))
    }
}

/// The copy of the built-in module's source that definitions in it point
/// at, written once per process.
pub fn builtin_path() -> Option<&'static Path> {
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gsc-lsp-{}", env!("CARGO_PKG_VERSION")));
        let path = dir.join("gslang.gs");
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(gslang_sema::load::BUILTIN_SOURCE) {
            std::fs::create_dir_all(&dir).ok()?;
            std::fs::write(&path, gslang_sema::load::BUILTIN_SOURCE).ok()?;
        }
        Some(path)
    })
    .as_deref()
}

/// The identity of a path, as the overlay loader gives it.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| gslang_sema::loader::normalize(path))
}

/// The path a URI stands for.
pub fn uri_path(uri: &Uri) -> PathBuf {
    match convert::uri_to_path(uri) {
        Some(path) => path,
        // An unsaved buffer (`untitled:Untitled-1`): a path of its own that
        // no file on disk has, so that it can be analyzed (imports are
        // looked up in the include directories only).
        None => {
            let name: String = uri
                .as_str()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            Path::new("/<unsaved>").join(format!("{name}.gs"))
        }
    }
}

/// Everything the server knows.
#[derive(Debug, Default)]
pub struct World {
    /// The open documents, by URI.
    pub docs: BTreeMap<Uri, Doc>,
    /// Import search directories.
    pub include_dirs: Vec<PathBuf>,
    /// The workspace folders.
    pub roots: Vec<PathBuf>,
    generation: u64,
    cache: RefCell<FxHashMap<PathBuf, (u64, Rc<Snapshot>)>>,
    open: RefCell<Option<(u64, Rc<Snapshot>)>>,
    workspace: RefCell<Option<(u64, Rc<Snapshot>)>>,
}

/// The most files the workspace analysis (find references) reads.
const MAX_WORKSPACE_FILES: usize = 20_000;

impl World {
    /// Something changed: every snapshot is stale.
    pub fn changed(&mut self) {
        self.generation += 1;
    }

    fn loader(&self) -> OverlayLoader {
        let mut loader = OverlayLoader::new();
        for doc in self.docs.values() {
            loader.add(&doc.path, doc.text.as_bytes());
        }
        loader
    }

    fn options(&self) -> Options {
        Options {
            include_dirs: self.include_dirs.clone(),
        }
    }

    fn finish(&self, analysis: Analysis) -> Snapshot {
        let index = Index::build(&analysis);
        let uris = self
            .docs
            .values()
            .map(|d| (d.path.clone(), d.uri.clone()))
            .collect();
        Snapshot {
            analysis,
            index,
            uris,
        }
    }

    /// The analysis rooted at `path`, as the buffers are now.
    pub fn snapshot(&self, path: &Path) -> Rc<Snapshot> {
        if let Some((generation, snap)) = self.cache.borrow().get(path) {
            if *generation == self.generation {
                return snap.clone();
            }
        }
        let analysis =
            gslang_sema::analyze(&[path.to_path_buf()], &self.options(), &mut self.loader());
        let snap = Rc::new(self.finish(analysis));
        let mut cache = self.cache.borrow_mut();
        // Only open documents are roots worth keeping.
        cache.retain(|p, _| self.docs.values().any(|d| &d.path == p));
        cache.insert(path.to_path_buf(), (self.generation, snap.clone()));
        snap
    }

    /// The analysis of every open document together, for diagnostics: one
    /// run over all of them and what they import, rather than one per
    /// document (the diagnostics of a module do not depend on the roots).
    pub fn open_documents(&self) -> Rc<Snapshot> {
        if let Some((generation, snap)) = &*self.open.borrow() {
            if *generation == self.generation {
                return snap.clone();
            }
        }
        let roots: Vec<PathBuf> = self.docs.values().map(|d| d.path.clone()).collect();
        let analysis = gslang_sema::analyze(&roots, &self.options(), &mut self.loader());
        let snap = Rc::new(self.finish(analysis));
        *self.open.borrow_mut() = Some((self.generation, snap.clone()));
        snap
    }

    /// The analysis of every `.gs` file of the workspace folders and every
    /// open document, for find references.
    pub fn workspace(&self) -> Rc<Snapshot> {
        if let Some((generation, snap)) = &*self.workspace.borrow() {
            if *generation == self.generation {
                return snap.clone();
            }
        }
        let mut roots: Vec<PathBuf> = self.docs.values().map(|d| d.path.clone()).collect();
        for root in &self.roots {
            schema_files(root, &mut roots);
        }
        roots.sort();
        roots.dedup();
        let analysis = gslang_sema::analyze(&roots, &self.options(), &mut self.loader());
        let snap = Rc::new(self.finish(analysis));
        *self.workspace.borrow_mut() = Some((self.generation, snap.clone()));
        snap
    }
}

/// Every `*.gs` file under `dir`, skipping hidden directories and cargo's `target`.
fn schema_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if out.len() >= MAX_WORKSPACE_FILES {
                return;
            }
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(ty) = entry.file_type() else { continue };
            if ty.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if ty.is_file() && path.extension().is_some_and(|e| e == "gs") {
                out.push(canonical(&path));
            }
        }
    }
}
