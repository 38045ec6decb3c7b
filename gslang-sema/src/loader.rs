//! Where source files come from: the file system, or memory (tests, fuzzing,
//! editors with unsaved buffers). The semantic pass reads files only through
//! a [`Loader`].

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Reads source files for the semantic pass.
pub trait Loader {
    /// The canonical identity of a file, used to load each file once;
    /// an error if there is no such file.
    fn canonicalize(&mut self, path: &Path) -> io::Result<PathBuf>;

    /// Reads a file, given its canonical path.
    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>>;
}

/// Reads files from the file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn canonicalize(&mut self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Serves files from memory; paths are normalized lexically.
#[derive(Debug, Default, Clone)]
pub struct MemoryLoader {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryLoader {
    /// An empty loader.
    pub fn new() -> MemoryLoader {
        MemoryLoader::default()
    }

    /// Adds (or replaces) a file.
    pub fn add(&mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> &mut Self {
        self.files.insert(normalize(path.as_ref()), contents.into());
        self
    }
}

impl Loader for MemoryLoader {
    fn canonicalize(&mut self, path: &Path) -> io::Result<PathBuf> {
        let path = normalize(path);
        if self.files.contains_key(&path) {
            Ok(path)
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

/// Serves the files of an overlay from memory, and every other file from
/// the file system: an editor's unsaved buffers over the files on disk.
///
/// Overlay paths should be absolute. A path is identified by its canonical
/// form on disk when the file exists there, and by its lexically normalized
/// form otherwise (a buffer not saved yet), so that a buffer and the file it
/// shadows are one module.
#[derive(Debug, Default, Clone)]
pub struct OverlayLoader {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl OverlayLoader {
    /// An empty overlay: every file comes from the file system.
    pub fn new() -> OverlayLoader {
        OverlayLoader::default()
    }

    /// Adds (or replaces) the contents of `path`.
    pub fn add(&mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> &mut Self {
        let path = self.identify(path.as_ref());
        self.files.insert(path, contents.into());
        self
    }

    /// The identity of `path`: canonical if it exists on disk, else normalized.
    fn identify(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
    }
}

impl Loader for OverlayLoader {
    fn canonicalize(&mut self, path: &Path) -> io::Result<PathBuf> {
        match std::fs::canonicalize(path) {
            Ok(path) => Ok(path),
            Err(error) => {
                let path = normalize(path);
                if self.files.contains_key(&path) {
                    Ok(path)
                } else {
                    Err(error)
                }
            }
        }
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(contents) => Ok(contents.clone()),
            None => std::fs::read(path),
        }
    }
}

/// Removes `.` and resolves `..` lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
