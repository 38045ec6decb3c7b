//! Pass 2: collects the declarations of every module into id-indexed tables
//! and per-module scopes, and reports declarations that share a name.
//!
//! Output: [`Collected`], which the later passes read: the scopes that name
//! resolution looks names up in, and for every id the declaration's AST.
//! Nothing is resolved yet; the IR items are built by the passes that
//! resolve and check them.

use gslang_syntax::ast;
use gslang_syntax::{Diagnostic, Span};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use crate::errors::NameError;
use crate::ids::{Arena, ContractId, EnumId, RecordId, make};
use crate::ir::{ItemId, ModuleId, RecordKind};
use crate::load::{BUILTIN_NAME, LoadedModule};

/// The names visible in one module.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// Declarations of the module.
    pub decls: FxHashMap<SmolStr, ItemId>,
    /// Imported modules by the name they are referred to.
    pub imports: FxHashMap<SmolStr, ModuleId>,
    /// Imports whose file could not be loaded; names through them are not
    /// reported again.
    pub failed_imports: Vec<SmolStr>,
}

/// A declaration and the module that declares it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decl<'a> {
    pub module: ModuleId,
    pub ast: &'a ast::Decl,
}

/// The output of collection: what every later pass looks names up in.
#[derive(Debug)]
pub(crate) struct Collected<'a> {
    pub loaded: &'a [LoadedModule],
    /// The scope of each module, by `ModuleId`.
    pub scopes: Vec<Scope>,
    pub records: Arena<RecordId, Decl<'a>>,
    pub enums: Arena<EnumId, Decl<'a>>,
    pub contracts: Arena<ContractId, Decl<'a>>,
    /// The declarations of each module in source order, by `ModuleId`.
    pub items: Vec<Vec<ItemId>>,
}

/// The id of the built-in module: it is loaded first.
pub(crate) fn builtin_module() -> ModuleId {
    make(0)
}

/// Collects the declarations of `loaded` (the modules in `ModuleId` order).
pub(crate) fn collect<'a>(
    loaded: &'a [LoadedModule],
    diags: &mut Vec<Diagnostic>,
) -> Collected<'a> {
    let mut out = Collected {
        loaded,
        scopes: Vec::with_capacity(loaded.len()),
        records: Arena::new(),
        enums: Arena::new(),
        contracts: Arena::new(),
        items: Vec::with_capacity(loaded.len()),
    };
    for (index, module) in loaded.iter().enumerate() {
        let id: ModuleId = make(index);
        let mut scope = Scope::default();
        for edge in &module.imports {
            scope.imports.insert(edge.name.clone(), edge.module);
        }
        scope.failed_imports.clone_from(&module.failed_imports);
        let mut items = Vec::with_capacity(module.ast.items.len());
        for item in &module.ast.items {
            let ast::Item::Decl(decl) = item else {
                continue;
            };
            let decl_ref = Decl {
                module: id,
                ast: decl,
            };
            let item = match decl.kind {
                ast::DeclKind::Table(_) | ast::DeclKind::Struct(_) => {
                    ItemId::Record(out.records.push(decl_ref))
                }
                ast::DeclKind::Enum { .. } => ItemId::Enum(out.enums.push(decl_ref)),
                ast::DeclKind::Contract { .. } => ItemId::Contract(out.contracts.push(decl_ref)),
            };
            items.push(item);
            match scope.decls.get(&decl.name.name) {
                Some(&first) => diags.push(
                    NameError::DuplicateDecl {
                        name: decl.name.name.clone(),
                        span: decl.name.span,
                        first: out.item_span(first),
                    }
                    .into(),
                ),
                None => {
                    scope.decls.insert(decl.name.name.clone(), item);
                }
            }
        }
        out.scopes.push(scope);
        out.items.push(items);
    }
    out
}

impl<'a> Collected<'a> {
    /// The declaration of an item.
    pub fn decl(&self, item: ItemId) -> Decl<'a> {
        match item {
            ItemId::Record(id) => self.records[id],
            ItemId::Enum(id) => self.enums[id],
            ItemId::Contract(id) => self.contracts[id],
        }
    }

    /// The span of an item's name.
    pub fn item_span(&self, item: ItemId) -> Span {
        self.decl(item).ast.name.span
    }

    /// The name of an item.
    pub fn item_name(&self, item: ItemId) -> &'a SmolStr {
        &self.decl(item).ast.name.name
    }

    /// Whether a record was declared `table` or `struct`.
    pub fn record_kind(&self, id: RecordId) -> RecordKind {
        match self.records[id].ast.kind {
            ast::DeclKind::Table(_) => RecordKind::Table,
            _ => RecordKind::Struct,
        }
    }

    /// What an item is, for messages: "struct `Foo`".
    pub fn describe_item(&self, item: ItemId) -> String {
        format!(
            "{} `{}`",
            self.decl(item).ast.kind.keyword(),
            self.item_name(item)
        )
    }

    pub fn record_fields(&self, id: RecordId) -> &'a [ast::Field] {
        match &self.records[id].ast.kind {
            ast::DeclKind::Table(fields) | ast::DeclKind::Struct(fields) => fields,
            _ => &[],
        }
    }

    pub fn enum_values(&self, id: EnumId) -> &'a [ast::EnumValue] {
        match &self.enums[id].ast.kind {
            ast::DeclKind::Enum { values, .. } => values,
            _ => &[],
        }
    }

    pub fn contract_methods(&self, id: ContractId) -> &'a [ast::Method] {
        match &self.contracts[id].ast.kind {
            ast::DeclKind::Contract { methods, .. } => methods,
            _ => &[],
        }
    }

    /// Looks up `Name` or `module.Name` as seen from `module`, without reporting anything.
    pub fn lookup_path(&self, module: ModuleId, path: &ast::Path) -> Option<ItemId> {
        match path.segments.as_slice() {
            [name] => self.scopes[module.index()]
                .decls
                .get(&name.name)
                .or_else(|| self.scopes[builtin_module().index()].decls.get(&name.name))
                .copied(),
            [qualifier, name] => {
                let target = if qualifier.name == BUILTIN_NAME {
                    builtin_module()
                } else {
                    *self.scopes[module.index()].imports.get(&qualifier.name)?
                };
                self.scopes[target.index()].decls.get(&name.name).copied()
            }
            _ => None,
        }
    }

    /// Whether `item`, found for a one-segment path in `module`, is a
    /// declaration of `module` that hides a built-in declaration of the same
    /// name (spec §3 lets a file declare `Flag`, `Target`, `Usage`…).
    pub fn shadows_builtin(&self, module: ModuleId, item: ItemId) -> bool {
        let builtin = builtin_module();
        let decl = self.decl(item);
        decl.module == module
            && module != builtin
            && self.scopes[builtin.index()]
                .decls
                .contains_key(&decl.ast.name.name)
    }
}
