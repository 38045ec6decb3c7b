//! The files plugins generate: their names checked and normalized, and
//! written all together or not at all.
//!
//! A name is a relative path that stays inside the output directory (`..`
//! may only go back down a directory it went into). Writing first puts every
//! changed file in a temporary file beside its target, and renames them into
//! place only once all were written: a write that fails (a full disk)
//! removes the temporary files and leaves the directory as it was.

use std::path::{Component, Path, PathBuf};

use crate::Fatal;

/// Why a file name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadName {
    /// `""`, `.` or `a/..`: no file.
    Empty,
    /// `/etc/passwd`, `C:\x`.
    Absolute,
    /// `../x`, `a/../../x`.
    Escapes,
    /// A NUL character, which no file system accepts.
    Nul,
    /// A `\\`: a separator on Windows only, so names use `/` everywhere.
    Backslash,
}

impl BadName {
    /// Why, as the end of a sentence "the file name `…` …".
    pub fn describe(self) -> &'static str {
        match self {
            BadName::Empty => "names no file",
            BadName::Absolute => "is absolute: names must be relative to the output directory",
            BadName::Escapes => "leaves the output directory",
            BadName::Nul => "contains a NUL character",
            BadName::Backslash => "contains `\\`: use `/` between directories",
        }
    }
}

/// `name` as a normalized relative path (`a/./b` → `a/b`, `a/../b` → `b`),
/// with `/` between its components.
pub fn normalize(name: &str) -> Result<String, BadName> {
    if name.contains('\0') {
        return Err(BadName::Nul);
    }
    if name.contains('\\') {
        return Err(BadName::Backslash);
    }
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(name).components() {
        match component {
            Component::Prefix(_) | Component::RootDir => return Err(BadName::Absolute),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(BadName::Escapes);
                }
            }
            Component::Normal(part) => match part.to_str() {
                Some(part) => parts.push(part),
                // A `&str` splits into `&str` components.
                None => return Err(BadName::Empty),
            },
        }
    }
    if parts.is_empty() {
        return Err(BadName::Empty);
    }
    Ok(parts.join("/"))
}

/// A file to write: its normalized name under the output directory.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Normalized by [`normalize`].
    pub name: String,
    /// The text.
    pub content: String,
}

/// The files of `files` that are missing from `dir` or differ there.
pub fn stale<'f>(dir: &Path, files: &'f [OutFile]) -> Vec<&'f OutFile> {
    files
        .iter()
        .filter(|f| {
            std::fs::read(dir.join(&f.name)).map_or(true, |old| old != f.content.as_bytes())
        })
        .collect()
}

/// Files written to temporary names, waiting to be renamed into place.
/// Dropped without [`Staged::commit`], it removes them.
#[derive(Debug)]
pub struct Staged {
    moves: Vec<(PathBuf, PathBuf)>,
}

/// Writes each file of `files` to a temporary file beside its target in
/// `dir` (creating directories as needed). On an error, the temporary
/// files already written are removed.
pub fn stage(dir: &Path, files: &[&OutFile]) -> Result<Staged, Fatal> {
    let mut staged = Staged { moves: Vec::new() };
    for file in files {
        let target = dir.join(&file.name);
        if target.is_dir() {
            return Err(Fatal(format!(
                "cannot write `{}`: it is a directory",
                target.display()
            )));
        }
        let parent = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent)
            .map_err(|e| Fatal(format!("cannot create `{}`: {e}", parent.display())))?;
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = parent.join(format!(".{file_name}.gsc-tmp-{}", std::process::id()));
        std::fs::write(&temp, &file.content).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Fatal(format!("cannot write `{}`: {e}", target.display()))
        })?;
        staged.moves.push((temp, target));
    }
    Ok(staged)
}

impl Staged {
    /// Renames every staged file into place.
    pub fn commit(mut self) -> Result<(), Fatal> {
        let moves = std::mem::take(&mut self.moves);
        let mut moves = moves.into_iter();
        while let Some((temp, target)) = moves.next() {
            if let Err(e) = std::fs::rename(&temp, &target) {
                let _ = std::fs::remove_file(&temp);
                // Keep the rest for `drop` to remove.
                self.moves = moves.collect();
                return Err(Fatal(format!("cannot write `{}`: {e}", target.display())));
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temp, _) in &self.moves {
            let _ = std::fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized() {
        assert_eq!(normalize("a.py").as_deref(), Ok("a.py"));
        assert_eq!(normalize("./a/./b.py").as_deref(), Ok("a/b.py"));
        assert_eq!(normalize("a/../b.py").as_deref(), Ok("b.py"));
        assert_eq!(normalize("a/b/").as_deref(), Ok("a/b"));
    }

    #[test]
    fn names_outside_the_directory_are_refused() {
        assert_eq!(normalize("/etc/passwd"), Err(BadName::Absolute));
        assert_eq!(normalize("../x"), Err(BadName::Escapes));
        assert_eq!(normalize("a/../../x"), Err(BadName::Escapes));
        assert_eq!(normalize(""), Err(BadName::Empty));
        assert_eq!(normalize("."), Err(BadName::Empty));
        assert_eq!(normalize("a/.."), Err(BadName::Empty));
        assert_eq!(normalize("a\0b"), Err(BadName::Nul));
        assert_eq!(normalize("a\\b"), Err(BadName::Backslash));
        assert_eq!(normalize("..\\x"), Err(BadName::Backslash));
    }
}
