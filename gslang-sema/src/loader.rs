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
