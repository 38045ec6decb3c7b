//! Name resolution for editors: every declaration of an analysis and every
//! place that names one, whether or not the schema has errors.
//!
//! The semantic pass resolves names only to build the model; an editor needs
//! the same resolution on a schema the user is in the middle of typing, and
//! needs it backwards too (find references). This index applies the lookup
//! rules of the language reference (§3: `Name` in this module, then in
//! `gslang`; `module.Name`; `Enum.Value` and `module.Enum.Value` in
//! annotation arguments) to the parsed modules of an [`Analysis`], and
//! records each resolved segment of each path with the [`Key`] of what it
//! names. Keys identify items by module path and names, so that the indexes
//! of two analyses (a file's, the workspace's) agree.
//!
//! Unresolved names are left out: the semantic pass reports them.

use std::path::PathBuf;

use gslang_sema::ir::ModuleId;
use gslang_sema::{Analysis, ParsedModule};
use gslang_syntax::ast::{self, DeclKind};
use gslang_syntax::{FileId, Span};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

/// Which module: the built-in one, or a file by its canonical path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModKey {
    /// `gslang`.
    Builtin,
    /// A file.
    File(PathBuf),
}

/// What a name refers to, identified independently of any one analysis.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A module.
    Module(ModKey),
    /// A declaration of a module.
    Decl(ModKey, SmolStr),
    /// A field, enum value or method of a declaration.
    Member(ModKey, SmolStr, SmolStr),
}

/// Where a key is declared in the analysis.
#[derive(Clone, Copy, Debug)]
pub struct Def {
    /// The module.
    pub module: ModuleId,
    /// The index of the declaration in the module's items, if not the module itself.
    pub item: Option<usize>,
    /// The index of the member in the declaration's fields, values or methods.
    pub member: Option<usize>,
    /// The name as declared (the start of the file for a module).
    pub span: Span,
}

/// The declarations and references of one analysis.
#[derive(Debug, Default)]
pub struct Index {
    /// Every declaration, first one of a name wins.
    pub defs: FxHashMap<Key, Def>,
    /// Every resolved name, in no particular order, with the declaration
    /// names themselves (whose key names their own declaration).
    pub refs: Vec<(Span, Key)>,
    /// Each module's key.
    pub mod_keys: Vec<ModKey>,
    /// Each module's declarations by name.
    pub scopes: Vec<FxHashMap<SmolStr, usize>>,
}

impl Index {
    /// Indexes every module of `analysis`.
    pub fn build(analysis: &Analysis) -> Index {
        let modules = &analysis.modules;
        let mut index = Index::default();
        for (_, m) in modules.iter() {
            index.mod_keys.push(mod_key(m));
            let mut scope = FxHashMap::default();
            for (i, item) in m.ast.items.iter().enumerate() {
                if let ast::Item::Decl(d) = item {
                    scope.entry(d.name.name.clone()).or_insert(i);
                }
            }
            index.scopes.push(scope);
        }
        for (id, m) in modules.iter() {
            index.declare(id, m);
        }
        let mut refs = Vec::new();
        for (id, m) in modules.iter() {
            Walker {
                index: &index,
                analysis,
                module: id,
                refs: &mut refs,
            }
            .module(m);
        }
        index.refs.extend(refs);
        index
    }

    fn declare(&mut self, id: ModuleId, m: &ParsedModule) {
        let mk = self.mod_keys[id.index()].clone();
        let start = Span::new(m.file, 0, 0);
        self.defs.entry(Key::Module(mk.clone())).or_insert(Def {
            module: id,
            item: None,
            member: None,
            span: start,
        });
        for (i, item) in m.ast.items.iter().enumerate() {
            let ast::Item::Decl(d) = item else { continue };
            let key = Key::Decl(mk.clone(), d.name.name.clone());
            self.refs.push((d.name.span, key.clone()));
            self.defs.entry(key).or_insert(Def {
                module: id,
                item: Some(i),
                member: None,
                span: d.name.span,
            });
            for (j, name) in member_names(d).into_iter().enumerate() {
                let key = Key::Member(mk.clone(), d.name.name.clone(), name.name.clone());
                self.refs.push((name.span, key.clone()));
                self.defs.entry(key).or_insert(Def {
                    module: id,
                    item: Some(i),
                    member: Some(j),
                    span: name.span,
                });
            }
        }
    }

    /// The key named at byte `offset` of `file`, and the span naming it.
    pub fn at(&self, file: FileId, offset: u32) -> Option<(Span, &Key)> {
        self.refs
            .iter()
            .filter(|(span, _)| span.file == file && span.start <= offset && offset <= span.end)
            // Of two adjacent names the one the offset is inside of or starts,
            // then the innermost.
            .min_by_key(|(span, _)| {
                (
                    offset == span.end && span.start != span.end,
                    span.end - span.start,
                )
            })
            .map(|(span, key)| (*span, key))
    }

    /// Every span naming `key` (declarations included).
    pub fn references<'a>(&'a self, key: &'a Key) -> impl Iterator<Item = Span> + 'a {
        self.refs
            .iter()
            .filter(move |(_, k)| k == key)
            .map(|(span, _)| *span)
    }

    /// The module with this key in the analysis.
    pub fn module_of(&self, key: &ModKey) -> Option<usize> {
        self.mod_keys.iter().position(|k| k == key)
    }
}

/// The key of a parsed module.
pub fn mod_key(m: &ParsedModule) -> ModKey {
    match (&m.path, m.is_builtin) {
        (Some(path), false) => ModKey::File(path.clone()),
        _ => ModKey::Builtin,
    }
}

/// The names of a declaration's members, in order.
pub fn member_names(d: &ast::Decl) -> Vec<&gslang_syntax::Ident> {
    match &d.kind {
        DeclKind::Table(fields) | DeclKind::Struct(fields) => {
            fields.iter().map(|f| &f.name).collect()
        }
        DeclKind::Enum { values, .. } => values.iter().map(|v| &v.name).collect(),
        DeclKind::Contract { methods, .. } => methods.iter().map(|m| &m.name).collect(),
    }
}

/// Looks names up as seen from one module.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The analysis.
    pub analysis: &'a Analysis,
    /// Its index.
    pub index: &'a Index,
    /// The module names are seen from.
    pub module: ModuleId,
}

impl<'a> Scope<'a> {
    /// The module an import name (or `gslang`) refers to.
    pub fn module_named(&self, name: &str) -> Option<ModuleId> {
        if name == gslang_sema::load::BUILTIN_NAME {
            return builtin(self.analysis);
        }
        self.analysis.modules[self.module]
            .imports
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.module)
    }

    /// The declaration named `name` in `module` itself.
    pub fn decl_in(&self, module: ModuleId, name: &str) -> Option<(ModuleId, &'a ast::Decl)> {
        let i = *self.index.scopes[module.index()].get(name)?;
        match &self.analysis.modules[module].ast.items[i] {
            ast::Item::Decl(d) => Some((module, d)),
            ast::Item::ModuleAnnotation(_) => None,
        }
    }

    /// `Name` as seen from this module: its own declarations, then `gslang`'s.
    pub fn decl(&self, name: &str) -> Option<(ModuleId, &'a ast::Decl)> {
        self.decl_in(self.module, name)
            .or_else(|| builtin(self.analysis).and_then(|b| self.decl_in(b, name)))
    }

    /// Resolves a path to a declaration, `Name` or `module.Name`, pushing
    /// each resolved segment to `refs`.
    pub fn path(
        &self,
        segments: &[gslang_syntax::Ident],
        refs: &mut Vec<(Span, Key)>,
    ) -> Option<(ModuleId, &'a ast::Decl)> {
        let found = match segments {
            [name] => self.decl(&name.name),
            [q, name] => {
                let target = self.module_named(&q.name)?;
                refs.push((
                    q.span,
                    Key::Module(self.index.mod_keys[target.index()].clone()),
                ));
                self.decl_in(target, &name.name)
            }
            _ => None,
        }?;
        let last = segments.last()?;
        refs.push((last.span, self.key(found.0, found.1)));
        Some(found)
    }

    /// The key of a declaration.
    pub fn key(&self, module: ModuleId, d: &ast::Decl) -> Key {
        Key::Decl(
            self.index.mod_keys[module.index()].clone(),
            d.name.name.clone(),
        )
    }
}

/// The built-in module of an analysis.
pub fn builtin(analysis: &Analysis) -> Option<ModuleId> {
    analysis
        .modules
        .iter()
        .find(|(_, m)| m.is_builtin)
        .map(|(id, _)| id)
}

struct Walker<'a> {
    index: &'a Index,
    analysis: &'a Analysis,
    module: ModuleId,
    refs: &'a mut Vec<(Span, Key)>,
}

impl<'a> Walker<'a> {
    fn resolve(&mut self, segments: &[gslang_syntax::Ident]) -> Option<(ModuleId, &'a ast::Decl)> {
        let scope = Scope {
            analysis: self.analysis,
            index: self.index,
            module: self.module,
        };
        scope.path(segments, self.refs)
    }

    fn module(&mut self, m: &'a ParsedModule) {
        for (import, edge) in m
            .ast
            .imports
            .iter()
            .filter_map(|i| Some((i, m.imports.iter().find(|e| e.span == i.path.span)?)))
        {
            let key = Key::Module(self.index.mod_keys[edge.module.index()].clone());
            self.refs.push((import.path.span, key.clone()));
            if let Some(alias) = &import.alias {
                self.refs.push((alias.span, key));
            }
        }
        for item in &m.ast.items {
            match item {
                ast::Item::ModuleAnnotation(a) => self.annotation(a),
                ast::Item::Decl(d) => self.decl(d),
            }
        }
    }

    fn decl(&mut self, d: &'a ast::Decl) {
        self.annotations(&d.annotations);
        match &d.kind {
            DeclKind::Table(fields) | DeclKind::Struct(fields) => {
                for f in fields {
                    self.annotations(&f.annotations);
                    self.ty(&f.ty);
                }
            }
            DeclKind::Enum { values, .. } => {
                for v in values {
                    self.annotations(&v.annotations);
                }
            }
            DeclKind::Contract { bases, methods } => {
                for base in bases {
                    self.resolve(&base.segments);
                }
                for method in methods {
                    self.annotations(&method.annotations);
                    for p in method.params.iter().chain(&method.returns) {
                        self.annotations(&p.annotations);
                        self.ty(&p.ty);
                    }
                }
            }
        }
    }

    fn ty(&mut self, ty: &ast::TypeExpr) {
        if let ast::TypeBase::Path(path) = &ty.base {
            self.resolve(&path.segments);
        }
    }

    fn annotations(&mut self, anns: &'a [ast::Annotation]) {
        for a in anns {
            self.annotation(a);
        }
    }

    fn annotation(&mut self, a: &'a ast::Annotation) {
        let table = self.resolve(&a.path.segments);
        if let Some(args) = &a.args {
            self.args(table, args);
        }
    }

    fn args(&mut self, table: Option<(ModuleId, &'a ast::Decl)>, args: &'a [ast::Arg]) {
        for arg in args {
            if let (Some(name), Some((m, d))) = (&arg.name, table) {
                if member_names(d).iter().any(|n| n.name == name.name) {
                    let key = Key::Member(
                        self.index.mod_keys[m.index()].clone(),
                        d.name.name.clone(),
                        name.name.clone(),
                    );
                    self.refs.push((name.span, key));
                }
            }
            for term in &arg.value.terms {
                match term {
                    ast::Term::Path(path) => self.enum_const(&path.segments),
                    ast::Term::Table { path, args, .. } => {
                        let table = self.resolve(&path.segments);
                        self.args(table, args);
                    }
                    _ => {}
                }
            }
        }
    }

    /// `Enum.Value` or `module.Enum.Value`.
    fn enum_const(&mut self, segments: &[gslang_syntax::Ident]) {
        let Some((value, enum_path)) = segments.split_last() else {
            return;
        };
        if enum_path.is_empty() {
            return;
        }
        let Some((m, d)) = self.resolve(enum_path) else {
            return;
        };
        if let DeclKind::Enum { values, .. } = &d.kind {
            if values.iter().any(|v| v.name.name == value.name) {
                let key = Key::Member(
                    self.index.mod_keys[m.index()].clone(),
                    d.name.name.clone(),
                    value.name.clone(),
                );
                self.refs.push((value.span, key));
            }
        }
    }
}
