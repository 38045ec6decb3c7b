//! Conversion of schemas written in the original Go toolchain's older
//! dialects into the current language, behind `gsc migrate`.
//!
//! The original toolchain went through two dialects besides the one the
//! language reference describes:
//! - the **2015 dialect**: `package a.b;` and `using a.b.C;` headers, fields
//!   and params written type first (`string Text;`), postfix arrays
//!   (`byte[]`, `KV[12][128]`), methods written `R Name(T x) throws (E1, E2);`
//!   with `void`, module annotations without `;` (an annotation whose table
//!   may annotate a module, written before a declaration), and built-ins in
//!   packages `gslang` and `gslang.annotations`;
//! - the **2014 dialect**: `[Attr(...)]` annotations, the built-ins
//!   `AttrUsage`/`AttrTarget`, imports of package directories, methods
//!   without `;`.
//!
//! [`migrate`] converts a set of files at once, so that a `using` of a type
//! declared by another file of the run becomes an import of that file.
//! Packages that no file of the run declares come from [`Options::maps`]
//! (`--map PACKAGE=FILE`). The conversion edits the source text in place
//! (every comment stays where it was) and then formats it with
//! [`gslang_fmt`]. What has no counterpart is a diagnostic with its span:
//! an error when the file cannot be converted (it is then not written), a
//! warning when something is dropped (it stays in the output as a comment),
//! a note when something is kept in a form of its own (the `throws` lists,
//! as annotations of the compatibility module [`COMPAT_SOURCE`]) or changes
//! meaning (the wire format, which is not the old toolchain's).
//!
//! ```
//! use gslang_migrate::{Input, Options, migrate};
//! use gslang_syntax::SourceMap;
//!
//! let mut sources = SourceMap::new();
//! let src = "package demo;\n\n// A point.\ntable Point {\n    float32 X;\n    float32[] Ys;\n}\n";
//! let id = sources.add("demo.gs", None, src.as_bytes().to_vec()).unwrap();
//! let inputs = [Input { id, path: "demo.gs".into() }];
//! let out = migrate(&sources, &inputs, &Options::default());
//! let text = out.files[0].text.as_deref().unwrap();
//! assert!(text.ends_with("// A point.\ntable Point {\n    X float32;\n    Ys []float32;\n}\n"));
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod errors;
mod parse;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path as FsPath, PathBuf};

use gslang_syntax::lexer::Comment;
use gslang_syntax::{Diagnostic, FileId, SourceMap, Span};

pub use errors::{MigrateError, PHASES};
pub use parse::Dialect;
use parse::{Annotation, Arg, Args, Base, DeclKind, Expr, OldFile, Path, Term, Type};

/// The compatibility module: the 2015 built-ins the current language has no
/// counterpart for. [`migrate`] reports when a converted file imports it;
/// it is then written as [`COMPAT_FILE`] at [`Options::compat_path`].
pub const COMPAT_SOURCE: &str = include_str!("gslang2015.gs");

/// The file name of the compatibility module.
pub const COMPAT_FILE: &str = "gslang2015.gs";

/// The module name of the compatibility module.
const COMPAT: &str = "gslang2015";

/// One file to convert.
#[derive(Clone, Debug)]
pub struct Input {
    /// The file in the source map.
    pub id: FileId,
    /// Where its converted text will be written. Imports between the files
    /// of a run, and of the mapped files and the compatibility module, are
    /// written relative to these paths, so they must all be relative to one
    /// directory (or all absolute).
    pub path: PathBuf,
}

/// How to convert.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--map PACKAGE=FILE`: the file that declares the types of a package
    /// (2015: `using PACKAGE.Type;`) or replaces a package directory (2014:
    /// `import "PACKAGE"`), when no file of the run does. Paths as
    /// [`Input::path`].
    pub maps: Vec<(String, PathBuf)>,
    /// Where the compatibility module will be written; `gslang2015.gs` in
    /// the current directory when empty.
    pub compat_path: PathBuf,
}

/// What came of one file.
#[derive(Clone, Debug)]
pub struct Migrated {
    /// The dialect the file was written in, if it could be read.
    pub dialect: Option<Dialect>,
    /// The converted, formatted text; `None` if the file has errors.
    pub text: Option<String>,
}

/// What came of a run.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// One per input, in order.
    pub files: Vec<Migrated>,
    /// Whether some converted file imports the compatibility module, which
    /// must then be written at [`Options::compat_path`].
    pub needs_compat: bool,
    /// Every diagnostic, in the order of the inputs.
    pub diagnostics: Vec<Diagnostic>,
}

/// The built-ins of the old dialects, by what they become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    Usage,
    Target,
    Flag,
    Async,
    /// `@Error` (2014 `Error`).
    Error,
    /// 2015 `Exception`: `@Error` on an enum, the compatibility module's elsewhere.
    Exception,
    /// A declaration of the compatibility module.
    Compat(&'static str),
}

fn builtin(name: &str) -> Option<Builtin> {
    Some(match name {
        "Usage" | "AttrUsage" | "AttributeUsage" => Builtin::Usage,
        "Target" | "AttrTarget" | "AttributeTarget" => Builtin::Target,
        "Flag" => Builtin::Flag,
        "Async" => Builtin::Async,
        "Error" => Builtin::Error,
        "Exception" => Builtin::Exception,
        "POD" => Builtin::Compat("POD"),
        "Package" => Builtin::Compat("Package"),
        "Lang" => Builtin::Compat("Lang"),
        "Optional" => Builtin::Compat("Optional"),
        "Duration" => Builtin::Compat("Duration"),
        "TimeUnit" => Builtin::Compat("TimeUnit"),
        _ => return None,
    })
}

/// The packages of the old built-ins.
fn is_builtin_package(package: &str) -> bool {
    package == "gslang" || package == "gslang.annotations"
}

/// A value of the old `Target`/`AttrTarget` enums, as ours.
fn target_value(name: &str) -> &str {
    match name {
        "Package" | "Script" => "Module",
        "EnumVal" => "EnumValue",
        other => other,
    }
}

/// The old spellings of the built-in types (2014's `builtin.gs`).
fn scalar_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "Byte" => "byte",
        "Sbyte" | "SByte" => "sbyte",
        "Int16" => "int16",
        "Uint16" | "UInt16" => "uint16",
        "Int32" => "int32",
        "Uint32" | "UInt32" => "uint32",
        "Int64" => "int64",
        "Uint64" | "UInt64" => "uint64",
        "Float32" => "float32",
        "Float64" => "float64",
        "Bool" => "bool",
        "String" => "string",
        _ => return None,
    })
}

const KEYWORDS: &[&str] = &[
    "import", "table", "struct", "enum", "contract", "true", "false", "bool", "byte", "sbyte",
    "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "string",
];

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// What a file declares, for the other files of the run.
#[derive(Debug, Default)]
struct Declared {
    package: Option<String>,
    names: HashSet<String>,
    /// Annotation tables that may annotate a module (`Package`, `Script`
    /// or `Module` among their targets): written before a declaration in
    /// the old dialects, they annotate the module.
    module_tables: HashSet<String>,
}

fn declared(file: &OldFile) -> Declared {
    let mut d = Declared {
        package: file.package.as_ref().map(|(p, _)| p.clone()),
        ..Declared::default()
    };
    for item in &file.items {
        let Some(decl) = &item.decl else { continue };
        d.names.insert(decl.name.clone());
        let module = item.annotations.iter().any(|a| {
            matches!(builtin(last(&a.path)), Some(Builtin::Usage))
                && a.args.as_ref().is_some_and(|args| {
                    args.items.iter().any(|arg| {
                        let (Arg::Positional(e) | Arg::Named { expr: e, .. }) = arg;
                        e.terms.iter().any(|t| {
                            matches!(t, Term::Path(p) if matches!(last(p), "Package" | "Script" | "Module"))
                        })
                    })
                })
        });
        if module && decl.keyword == "table" {
            d.module_tables.insert(decl.name.clone());
        }
    }
    d
}

fn last(p: &Path) -> &str {
    p.segs.last().map_or("", String::as_str)
}

/// Converts `inputs` (files of `sources`) together.
pub fn migrate(sources: &SourceMap, inputs: &[Input], options: &Options) -> Outcome {
    let mut diagnostics = Vec::new();
    let mut parsed: Vec<Option<OldFile>> = Vec::new();
    let mut lexical: Vec<Vec<Diagnostic>> = Vec::new();
    for input in inputs {
        let src = sources.file(input.id).text.as_str();
        let (result, lex) = parse::parse(input.id, src);
        lexical.push(lex);
        match result {
            Ok(file) => parsed.push(Some(file)),
            Err((message, range)) => {
                parsed.push(None);
                if let Some(l) = lexical.last_mut() {
                    l.push(
                        MigrateError::Syntax {
                            span: Span::new(input.id, range.start, range.end),
                            message,
                        }
                        .into(),
                    );
                }
            }
        }
    }
    let declared: Vec<Option<Declared>> = parsed.iter().map(|f| f.as_ref().map(declared)).collect();
    let compat_path = if options.compat_path.as_os_str().is_empty() {
        PathBuf::from(COMPAT_FILE)
    } else {
        options.compat_path.clone()
    };
    let run = Run {
        inputs,
        declared: &declared,
        maps: &options.maps,
        compat_path: &compat_path,
    };
    let mut files = Vec::new();
    let mut needs_compat = false;
    for (i, input) in inputs.iter().enumerate() {
        let mut diags = std::mem::take(&mut lexical[i]);
        let Some(file) = &parsed[i] else {
            diagnostics.append(&mut diags);
            files.push(Migrated {
                dialect: None,
                text: None,
            });
            continue;
        };
        let src = sources.file(input.id).text.as_str();
        let mut conv = Converter::new(&run, i, input.id, src, file);
        conv.file();
        let (text, uses_compat) = conv.finish();
        diags.append(&mut conv.diags);
        let has_errors = diags.iter().any(Diagnostic::is_error);
        let text = if has_errors {
            None
        } else {
            match gslang_fmt::format_str(&text) {
                Ok(out) => {
                    needs_compat |= uses_compat;
                    Some(out)
                }
                Err(e) => {
                    let message = match e {
                        gslang_fmt::Error::Syntax(d) => {
                            d.first().map_or_else(String::new, |d| d.message.clone())
                        }
                        gslang_fmt::Error::Internal(m) => m,
                    };
                    diags.push(
                        MigrateError::Internal {
                            span: Span::new(input.id, 0, 0),
                            message,
                        }
                        .into(),
                    );
                    None
                }
            }
        };
        diagnostics.append(&mut diags);
        files.push(Migrated {
            dialect: Some(file.dialect),
            text,
        });
    }
    Outcome {
        files,
        needs_compat,
        diagnostics,
    }
}

/// What every file of a run sees.
struct Run<'a> {
    inputs: &'a [Input],
    declared: &'a [Option<Declared>],
    maps: &'a [(String, PathBuf)],
    compat_path: &'a FsPath,
}

/// The file an import names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    File(usize),
    Mapped(PathBuf),
    Compat,
}

/// What a type name in an old file refers to.
#[derive(Clone, Debug)]
enum Resolved {
    /// Declared in this file.
    Local(String),
    Builtin(Builtin),
    /// Declared in another file (`module.Name`).
    Imported(Target, String),
    /// Left as written (reported, or for the semantic pass to report).
    AsWritten,
}

/// Where an annotation is, for the built-ins that may be placed only somewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Module,
    Table,
    Struct,
    Enum,
    EnumValue,
    Field,
    Contract,
    Method,
    Param,
}

struct Converter<'a> {
    run: &'a Run<'a>,
    index: usize,
    id: FileId,
    src: &'a str,
    file: &'a OldFile,
    declared: &'a Declared,
    /// Simple name to the full name of its `using`.
    usings: HashMap<String, &'a Path>,
    /// The imports this file needs, with the names they are referred to by.
    imports: Vec<(Target, String)>,
    /// Names taken in this file's module scope (imports and declarations).
    taken: HashSet<String>,
    edits: Vec<(Range<usize>, String)>,
    diags: Vec<Diagnostic>,
    /// Where the new imports go.
    imports_at: usize,
    /// `using`s already reported, so that each is reported once.
    reported: HashSet<String>,
}

impl<'a> Converter<'a> {
    fn new(run: &'a Run<'a>, index: usize, id: FileId, src: &'a str, file: &'a OldFile) -> Self {
        let declared = run.declared[index]
            .as_ref()
            .expect("a parsed file has its declarations");
        let usings = file
            .usings
            .iter()
            .map(|u| (last(&u.path).to_owned(), &u.path))
            .collect();
        let mut taken: HashSet<String> = declared.names.clone();
        for import in &file.imports {
            for spec in &import.specs {
                if let Some(alias) = &spec.alias {
                    taken.insert(alias.clone());
                } else if let Some(stem) = FsPath::new(&spec.path).file_stem() {
                    taken.insert(stem.to_string_lossy().into_owned());
                }
            }
        }
        Converter {
            run,
            index,
            id,
            src,
            file,
            declared,
            usings,
            imports: Vec::new(),
            taken,
            edits: Vec::new(),
            diags: Vec::new(),
            imports_at: 0,
            reported: HashSet::new(),
        }
    }

    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.id, r.start, r.end)
    }

    fn report(&mut self, e: MigrateError) {
        self.diags.push(e.into());
    }

    fn edit(&mut self, range: Range<usize>, text: impl Into<String>) {
        self.edits.push((range, text.into()));
    }

    fn file(&mut self) {
        let file = self.file;
        if file.dialect != Dialect::Current {
            self.report(MigrateError::WireFormat {
                span: self.span(&file.marker),
                dialect: file.dialect.name(),
            });
            let what = match &file.package {
                Some((p, _)) => format!("{} (package {p})", file.dialect.name()),
                None => file.dialect.name().to_owned(),
            };
            let header = format!(
                "// Migrated by `gsc migrate` from {what}.\n// The wire format of that dialect is not this one's: see docs/migrate.md.\n"
            );
            match &file.package {
                Some((_, range)) => {
                    self.edit(range.clone(), header);
                    self.imports_at = range.end;
                }
                None => self.edit(0..0, format!("{header}\n")),
            }
        }
        for (n, using) in file.usings.iter().enumerate() {
            if n == 0 {
                self.imports_at = using.range.start;
            }
            self.edit(using.range.clone(), "");
            // Report what cannot be resolved, once, at the `using`.
            let _ = self.resolve_full(&using.path, true);
        }
        for import in &file.imports {
            self.import(import);
        }
        for item in &file.items {
            let place = match &item.decl {
                None => Place::Module,
                Some(d) => match d.keyword {
                    "table" => Place::Table,
                    "struct" => Place::Struct,
                    "enum" => Place::Enum,
                    _ => Place::Contract,
                },
            };
            for a in &item.annotations {
                let module = item.decl.is_none() || self.is_module_annotation(a);
                self.annotation(a, if module { Place::Module } else { place });
            }
            if let Some(decl) = &item.decl {
                self.decl(decl);
            }
        }
    }

    /// Converts a 2014 import statement; imports of `.gs` files stay.
    fn import(&mut self, import: &parse::Import) {
        if self.file.dialect == Dialect::Current
            || import.specs.iter().all(|s| s.path.ends_with(".gs"))
        {
            self.imports_at = self.imports_at.max(import.range.end);
            return;
        }
        let mut text = String::new();
        for spec in &import.specs {
            if spec.path.ends_with(".gs") {
                match &spec.alias {
                    Some(a) => text.push_str(&format!("import {a} \"{}\"\n", spec.path)),
                    None => text.push_str(&format!("import \"{}\"\n", spec.path)),
                }
            } else if let Some((_, to)) = self.run.maps.iter().find(|(p, _)| *p == spec.path) {
                // Referred to as the package was: by its alias or its last component.
                let name = spec
                    .alias
                    .clone()
                    .unwrap_or_else(|| spec.path.rsplit('/').next().unwrap_or("").to_owned());
                self.taken.remove(&name);
                self.import_as(&Target::Mapped(to.clone()), &name);
            } else {
                self.report(MigrateError::DroppedImport {
                    span: self.span(&spec.range),
                    path: spec.path.clone(),
                });
                text.push_str(&format!(
                    "// import \"{}\" (dropped by gsc migrate)\n",
                    spec.path
                ));
            }
        }
        self.edit(import.range.clone(), text);
        self.imports_at = self.imports_at.max(import.range.end);
    }

    fn is_module_annotation(&mut self, a: &Annotation) -> bool {
        if a.semi {
            return true;
        }
        match self.resolve(&a.path, false) {
            Resolved::Builtin(Builtin::Compat("Package" | "Lang")) => true,
            Resolved::Local(name) => self.declared.module_tables.contains(&name),
            Resolved::Imported(Target::File(j), name) => self.run.declared[j]
                .as_ref()
                .is_some_and(|d| d.module_tables.contains(&name)),
            _ => false,
        }
    }

    /// The name an import is referred to by, adding the import on first use.
    fn import_name(&mut self, target: &Target) -> String {
        let stem = match target {
            Target::File(j) => stem(&self.run.inputs[*j].path),
            Target::Mapped(p) => stem(p),
            Target::Compat => COMPAT.to_owned(),
        };
        self.import_as(target, &stem)
    }

    /// The name an import is referred to by, `preferred` (made an
    /// identifier, and told apart from the names taken) on first use.
    fn import_as(&mut self, target: &Target, preferred: &str) -> String {
        if let Some((_, name)) = self.imports.iter().find(|(t, _)| t == target) {
            return name.clone();
        }
        let mut base: String = preferred
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            base.insert(0, '_');
        }
        let mut name = base.clone();
        let mut n = 2;
        while !is_ident(&name) || name == "gslang" || self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.imports.push((target.clone(), name.clone()));
        name
    }

    /// Resolves a `using` or a full name `a.b.C`: `report` says whether to
    /// report what cannot be found.
    fn resolve_full(&mut self, path: &Path, report: bool) -> Resolved {
        let Some((name, package)) = path.segs.split_last() else {
            return Resolved::AsWritten;
        };
        let package = package.join(".");
        if package.is_empty() {
            return Resolved::AsWritten;
        }
        if is_builtin_package(&package) {
            if let Some(b) = builtin(name) {
                return Resolved::Builtin(b);
            }
            if report && self.reported.insert(path.text()) {
                self.report(MigrateError::UnknownType {
                    span: self.span(&path.range),
                    package,
                    name: name.clone(),
                });
            }
            return Resolved::AsWritten;
        }
        let mut in_run = false;
        for (j, d) in self.run.declared.iter().enumerate() {
            let Some(d) = d else { continue };
            if d.package.as_deref() == Some(package.as_str()) {
                in_run = true;
                if d.names.contains(name) {
                    return if j == self.index {
                        Resolved::Local(name.clone())
                    } else {
                        Resolved::Imported(Target::File(j), name.clone())
                    };
                }
            }
        }
        if let Some((_, to)) = self.run.maps.iter().find(|(p, _)| *p == package) {
            return Resolved::Imported(Target::Mapped(to.clone()), name.clone());
        }
        if report && self.reported.insert(path.text()) {
            let e = if in_run {
                MigrateError::UnknownType {
                    span: self.span(&path.range),
                    package,
                    name: name.clone(),
                }
            } else {
                MigrateError::UnknownPackage {
                    span: self.span(&path.range),
                    package,
                    name: name.clone(),
                }
            };
            self.report(e);
        }
        Resolved::AsWritten
    }

    /// Resolves a type name as written in this file.
    fn resolve(&mut self, path: &Path, report: bool) -> Resolved {
        if path.segs.len() == 1 {
            let name = &path.segs[0];
            // The files of the old built-in packages declare the dialect's
            // built-ins: their names mean ours there.
            let builtin_file = self
                .declared
                .package
                .as_deref()
                .is_some_and(is_builtin_package);
            if builtin_file {
                if let Some(b) = builtin(name) {
                    return Resolved::Builtin(b);
                }
            }
            if self.declared.names.contains(name) {
                return Resolved::Local(name.clone());
            }
            if let Some(&full) = self.usings.get(name) {
                return self.resolve_full(full, false);
            }
            if let Some(b) = builtin(name) {
                if report
                    && self.file.dialect == Dialect::Y2015
                    && !matches!(b, Builtin::Usage | Builtin::Target)
                {
                    self.report(MigrateError::ImplicitBuiltin {
                        span: self.span(&path.range),
                        name: name.clone(),
                    });
                }
                return Resolved::Builtin(b);
            }
            return Resolved::AsWritten;
        }
        // A module of the current language (`common.Health`) stays as written.
        let first = &path.segs[0];
        if path.segs.len() == 2
            && self.taken.contains(first)
            && !self.declared.names.contains(first)
        {
            return Resolved::AsWritten;
        }
        let report = report && self.file.dialect == Dialect::Y2015;
        self.resolve_full(path, report)
    }

    /// The text of a resolved name; `place` decides what `Exception` becomes.
    fn name_text(&mut self, path: &Path, r: Resolved, place: Place) -> String {
        match r {
            Resolved::Local(name) => name,
            Resolved::AsWritten => path.text(),
            Resolved::Imported(target, name) => {
                let module = self.import_name(&target);
                format!("{module}.{name}")
            }
            Resolved::Builtin(b) => match b {
                Builtin::Usage => "Usage".into(),
                Builtin::Target => "Target".into(),
                Builtin::Flag => "Flag".into(),
                Builtin::Async => "Async".into(),
                Builtin::Error => "Error".into(),
                Builtin::Exception if place == Place::Enum => "Error".into(),
                Builtin::Exception => {
                    let module = self.import_name(&Target::Compat);
                    format!("{module}.Exception")
                }
                Builtin::Compat(name) => {
                    let module = self.import_name(&Target::Compat);
                    format!("{module}.{name}")
                }
            },
        }
    }

    fn type_name(&mut self, path: &Path) -> String {
        let r = self.resolve(path, true);
        self.name_text(path, r, Place::Table)
    }

    fn annotation(&mut self, a: &Annotation, place: Place) {
        let r = self.resolve(&a.path, true);
        if let Resolved::Builtin(b) = &r {
            let misplaced = match b {
                Builtin::Flag => (place != Place::Enum).then_some("only enums are bit sets"),
                Builtin::Async => (place != Place::Method).then_some("only methods may be one-way"),
                Builtin::Error => (place != Place::Enum).then_some("only enums are error domains"),
                Builtin::Usage => {
                    (!matches!(place, Place::Table)).then_some("only tables are annotation types")
                }
                Builtin::Exception => {
                    (!matches!(place, Place::Table | Place::Struct | Place::Enum))
                        .then_some("only tables and enums may be exceptions")
                }
                Builtin::Compat("POD" | "Optional") => {
                    (!matches!(place, Place::Table | Place::Struct))
                        .then_some("only tables may be compact")
                }
                _ => None,
            };
            if let Some(reason) = misplaced {
                self.report(MigrateError::DroppedAnnotation {
                    span: self.span(&a.range),
                    name: a.path.text(),
                    reason,
                });
                let text = self.src[a.range.clone()].replace("*/", "* /");
                self.edit(a.range.clone(), format!("/* {text} */"));
                return;
            }
            if *b == Builtin::Exception && place == Place::Enum {
                self.report(MigrateError::ExceptionEnum {
                    span: self.span(&a.range),
                });
            }
        }
        let mut text = format!("@{}", self.name_text(&a.path, r, place));
        if let Some(args) = &a.args {
            text.push_str(&self.args_text(args));
        }
        if place == Place::Module && !a.semi {
            text.push(';');
        }
        // `[A]string` loses its `]`: keep the tokens apart.
        if self.src[a.range.end..].starts_with(|c: char| !c.is_whitespace()) {
            text.push(' ');
        }
        self.edit(a.range.clone(), text);
    }

    fn args_text(&mut self, args: &Args) -> String {
        let items: Vec<String> = args
            .items
            .iter()
            .map(|arg| match arg {
                Arg::Positional(e) => self.expr_text(e),
                Arg::Named { name, expr } => format!("{name}: {}", self.expr_text(expr)),
            })
            .collect();
        format!("({})", items.join(", "))
    }

    fn expr_text(&mut self, e: &Expr) -> String {
        let mut terms: Vec<String> = Vec::new();
        for t in &e.terms {
            let text = match t {
                Term::Lit(r) => self.src[r.clone()].to_owned(),
                Term::Table(path, args) => {
                    let name = self.type_name(path);
                    format!("{name}{}", self.args_text(args))
                }
                Term::Path(path) if path.segs.len() >= 2 => {
                    let (value, ty) = path.segs.split_last().expect("two segments");
                    let ty_path = Path {
                        segs: ty.to_vec(),
                        range: path.range.clone(),
                    };
                    let r = self.resolve(&ty_path, true);
                    if let Resolved::Builtin(Builtin::Target) = r {
                        format!("Target.{}", target_value(value))
                    } else {
                        let ty = self.name_text(&ty_path, r, Place::Enum);
                        format!("{ty}.{value}")
                    }
                }
                Term::Path(path) => path.text(),
            };
            if !terms.contains(&text) {
                terms.push(text);
            }
        }
        terms.join(" | ")
    }

    /// The current language's spelling of a type.
    fn type_text(&mut self, ty: &Type, what: &str) -> String {
        let mut out = String::new();
        for d in &ty.dims {
            match d {
                Some(n) => out.push_str(&format!("[{n}]")),
                None => out.push_str("[]"),
            }
        }
        match &ty.base {
            Base::Scalar(kw) => out.push_str(kw),
            Base::Void => {
                self.report(MigrateError::NoCounterpart {
                    span: self.span(&ty.range),
                    what: format!("`void` as the type of {what}"),
                    help: None,
                });
                out.push_str("void");
            }
            Base::Path(p) => {
                let local = p.segs.len() == 1 && self.declared.names.contains(&p.segs[0]);
                let used = p.segs.len() == 1 && self.usings.contains_key(&p.segs[0]);
                if p.segs.len() == 1 && !local && !used && p.segs[0] == "int" {
                    self.report(MigrateError::NoCounterpart {
                        span: self.span(&p.range),
                        what: "type `int`".to_owned(),
                        help: Some("write `int32` or `int64`".to_owned()),
                    });
                    out.push_str("int");
                } else if let (Some(kw), false, false) =
                    (scalar_alias(&p.segs.join(".")), local, used)
                {
                    out.push_str(kw);
                } else {
                    let name = self.type_name(p);
                    out.push_str(&name);
                }
            }
        }
        out
    }

    fn decl(&mut self, decl: &parse::Decl) {
        match &decl.kind {
            DeclKind::Record { fields } => {
                for f in fields {
                    for a in &f.annotations {
                        self.annotation(a, Place::Field);
                    }
                    let ty = self.type_text(&f.ty, "a field");
                    if f.type_first {
                        self.edit(
                            f.ty.range.start..f.name_range.end,
                            format!("{} {ty}", f.name),
                        );
                    } else if ty != self.src[f.ty.range.clone()] {
                        self.edit(f.ty.range.clone(), ty);
                    }
                    if let Some(at) = f.semi {
                        self.edit(at..at, ";");
                    }
                }
            }
            DeclKind::Enum { base, values } => {
                if values.is_empty() {
                    self.report(MigrateError::NoCounterpart {
                        span: self.span(&decl.name_range),
                        what: format!("enum `{}` with no values", decl.name),
                        help: Some("give it a value, or make it a table".to_owned()),
                    });
                }
                let mut next = 0i64;
                let mut fits = true;
                for v in values {
                    for a in &v.annotations {
                        self.annotation(a, Place::EnumValue);
                    }
                    let n = v.number.unwrap_or(next);
                    fits &= (0..=255).contains(&n);
                    next = n.saturating_add(1);
                }
                if base.is_none() && !fits && self.file.dialect == Dialect::Y2015 {
                    self.report(MigrateError::EnumBase {
                        span: self.span(&decl.name_range),
                        name: decl.name.clone(),
                    });
                    let end = decl.name_range.end;
                    self.edit(end..end, "(int32)");
                }
            }
            DeclKind::Contract { bases, methods } => {
                for b in bases {
                    let text = self.type_name(b);
                    if text != b.text() {
                        self.edit(b.range.clone(), text);
                    }
                }
                for m in methods {
                    self.method(m);
                }
            }
        }
    }

    fn param(&mut self, p: &parse::Param, what: &str) {
        for a in &p.annotations {
            self.annotation(a, Place::Param);
        }
        let ty = self.type_text(&p.ty, what);
        match (&p.name, p.type_first) {
            (Some((name, r)), true) => self.edit(p.ty.range.start..r.end, format!("{name} {ty}")),
            _ => {
                if ty != self.src[p.ty.range.clone()] {
                    self.edit(p.ty.range.clone(), ty);
                }
            }
        }
    }

    fn method(&mut self, m: &parse::Method) {
        if let Some((range, types)) = &m.throws {
            self.report(MigrateError::ThrowsKept {
                span: self.span(range),
            });
            let module = self.import_name(&Target::Compat);
            let mut text = String::new();
            for t in types {
                let name = self.type_text(t, "an exception");
                text.push_str(&format!("@{module}.Throws(\"{name}\")\n"));
            }
            let at = m.annotations.first().map_or(m.start, |a| a.range.start);
            self.edit(at..at, text);
            self.edit(range.clone(), "");
        }
        for a in &m.annotations {
            self.annotation(a, Place::Method);
        }
        if let Some(ret) = &m.ret {
            self.edit(m.start..m.name_range.start, "");
            if !matches!(ret.base, Base::Void) || !ret.dims.is_empty() {
                let ty = self.type_text(ret, "a return");
                self.edit(m.params_end..m.params_end, format!(" -> ({ty})"));
            }
        }
        for p in &m.params {
            self.param(p, "a param");
        }
        for p in &m.returns {
            self.param(p, "a return");
        }
        if !m.has_semi {
            self.edit(m.end..m.end, ";");
        }
    }

    /// The edited text, and whether it imports the compatibility module.
    fn finish(&mut self) -> (String, bool) {
        let mut block = String::new();
        let from = self.run.inputs[self.index]
            .path
            .parent()
            .map(FsPath::to_path_buf);
        let imports = std::mem::take(&mut self.imports);
        let mut lines: Vec<(String, String)> = imports
            .iter()
            .map(|(target, name)| {
                let to = match target {
                    Target::File(j) => self.run.inputs[*j].path.clone(),
                    Target::Mapped(p) => p.clone(),
                    Target::Compat => self.run.compat_path.to_path_buf(),
                };
                let rel = relative(from.as_deref().unwrap_or(FsPath::new("")), &to);
                let line = if stem(&to) == *name {
                    format!("import \"{rel}\"\n")
                } else {
                    format!("import {name} \"{rel}\"\n")
                };
                (rel, line)
            })
            .collect();
        lines.sort();
        for (_, line) in lines {
            block.push_str(&line);
        }
        if !block.is_empty() {
            let at = self.imports_at;
            self.edits.push((at..at, format!("\n{block}\n")));
        }
        let uses_compat = imports.iter().any(|(t, _)| *t == Target::Compat);
        (
            apply(self.src, &mut self.edits, &self.file.comments),
            uses_compat,
        )
    }
}

fn stem(p: &FsPath) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The path of `to` relative to directory `from`, with `/` separators.
fn relative(from: &FsPath, to: &FsPath) -> String {
    let from: Vec<Component<'_>> = from
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let to_c: Vec<Component<'_>> = to
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to_c[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Applies `edits` (sorted here; insertions before replacements at one
/// offset, in the order they were made) to `src`. A comment inside a
/// replaced range is written after the replacement.
fn apply(src: &str, edits: &mut [(Range<usize>, String)], comments: &[Comment]) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(src.len() + 256);
    let mut at = 0;
    for (range, text) in edits.iter() {
        if range.start < at {
            // Overlapping edits would be a bug: keep the first.
            continue;
        }
        out.push_str(&src[at..range.start]);
        out.push_str(text);
        for c in comments {
            let r = c.span.range();
            if r.start >= range.start && r.end <= range.end && !range.is_empty() {
                out.push(' ');
                out.push_str(&src[r.clone()]);
                if !c.block {
                    out.push('\n');
                }
            }
        }
        at = range.end;
    }
    out.push_str(&src[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(FsPath::new("a/b"), FsPath::new("a/c/d.gs")),
            "../c/d.gs"
        );
        assert_eq!(relative(FsPath::new(""), FsPath::new("d.gs")), "d.gs");
        assert_eq!(relative(FsPath::new("a"), FsPath::new("a/d.gs")), "d.gs");
    }
}
