//! The state the semantic passes share: the loaded modules, the scopes, the
//! IR under construction and its links back to the AST.

use gslang_syntax::ast;
use gslang_syntax::{Diagnostic, Span};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use crate::ir::{self, Builtins, ContractId, EnumId, ItemId, ModuleId, RecordId};
use crate::load::LoadedModule;

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

pub(crate) struct Cx<'a> {
    pub loaded: &'a [LoadedModule],
    pub diags: Vec<Diagnostic>,
    pub scopes: Vec<Scope>,

    pub modules: Vec<ir::Module>,
    pub records: Vec<ir::Record>,
    pub enums: Vec<ir::Enum>,
    pub contracts: Vec<ir::Contract>,

    pub record_ast: Vec<&'a ast::Decl>,
    pub enum_ast: Vec<&'a ast::Decl>,
    pub contract_ast: Vec<&'a ast::Decl>,

    /// For each contract, the span of each resolved base (parallel to `bases`).
    pub base_spans: Vec<Vec<Span>>,
    /// Contracts that are part of, or inherit from, an inheritance cycle.
    pub contract_in_cycle: Vec<bool>,
    pub builtins: Option<Builtins>,
}

impl<'a> Cx<'a> {
    pub fn new(loaded: &'a [LoadedModule]) -> Cx<'a> {
        Cx {
            loaded,
            diags: Vec::new(),
            scopes: Vec::new(),
            modules: Vec::new(),
            records: Vec::new(),
            enums: Vec::new(),
            contracts: Vec::new(),
            record_ast: Vec::new(),
            enum_ast: Vec::new(),
            contract_ast: Vec::new(),
            base_spans: Vec::new(),
            contract_in_cycle: Vec::new(),
            builtins: None,
        }
    }

    pub fn error(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    /// The span of an item's name.
    pub fn item_span(&self, item: ItemId) -> Span {
        match item {
            ItemId::Record(id) => self.records[id.index()].span,
            ItemId::Enum(id) => self.enums[id.index()].span,
            ItemId::Contract(id) => self.contracts[id.index()].span,
        }
    }

    pub fn item_name(&self, item: ItemId) -> &str {
        match item {
            ItemId::Record(id) => &self.records[id.index()].name,
            ItemId::Enum(id) => &self.enums[id.index()].name,
            ItemId::Contract(id) => &self.contracts[id.index()].name,
        }
    }

    /// What an item is, for messages: "struct `Foo`".
    pub fn describe_item(&self, item: ItemId) -> String {
        let kind = match item {
            ItemId::Record(id) => match self.records[id.index()].kind {
                ir::RecordKind::Table => "table",
                ir::RecordKind::Struct => "struct",
            },
            ItemId::Enum(_) => "enum",
            ItemId::Contract(_) => "contract",
        };
        format!("{kind} `{}`", self.item_name(item))
    }

    pub fn record_fields(&self, id: RecordId) -> &'a [ast::Field] {
        match &self.record_ast[id.index()].kind {
            ast::DeclKind::Table(fields) | ast::DeclKind::Struct(fields) => fields,
            _ => &[],
        }
    }

    pub fn enum_values(&self, id: EnumId) -> &'a [ast::EnumValue] {
        match &self.enum_ast[id.index()].kind {
            ast::DeclKind::Enum { values, .. } => values,
            _ => &[],
        }
    }

    pub fn contract_methods(&self, id: ContractId) -> &'a [ast::Method] {
        match &self.contract_ast[id.index()].kind {
            ast::DeclKind::Contract { methods, .. } => methods,
            _ => &[],
        }
    }
}
