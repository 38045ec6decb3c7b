//! Pass 1: collects the declarations of every module into the IR arenas and
//! the module scopes. Reports declarations that share a name.
//!
//! Types, bases and annotations are left for the passes that follow; fields
//! get a placeholder type until `resolve` sets it.

use gslang_syntax::Diagnostic;
use gslang_syntax::ast;

use crate::cx::{Cx, Scope};
use crate::ir::{self, ContractId, EnumId, ItemId, ModuleId, RecordId};

impl<'a> Cx<'a> {
    pub(crate) fn collect(&mut self) {
        let all: &'a [crate::load::LoadedModule] = self.loaded;
        for (index, loaded) in all.iter().enumerate() {
            let module = ModuleId(index as u32);
            let mut scope = Scope::default();
            for edge in &loaded.imports {
                scope.imports.insert(edge.name.clone(), edge.module);
            }
            scope.failed_imports.clone_from(&loaded.failed_imports);
            let mut items = Vec::with_capacity(loaded.ast.items.len());
            for item in &loaded.ast.items {
                let ast::Item::Decl(decl) = item else {
                    continue;
                };
                let id = self.declare(module, decl);
                items.push(id);
                match scope.decls.get(&decl.name.name) {
                    Some(&first) => {
                        let first_span = self.item_span(first);
                        self.error(
                            Diagnostic::error(
                                "E0300",
                                format!("the name `{}` is declared twice", decl.name),
                                decl.name.span,
                            )
                            .with_label(format!("`{}` declared again here", decl.name))
                            .with_secondary(
                                first_span,
                                format!("`{}` first declared here", decl.name),
                            ),
                        );
                    }
                    None => {
                        scope.decls.insert(decl.name.name.clone(), id);
                    }
                }
            }
            self.scopes.push(scope);
            self.modules.push(ir::Module {
                name: loaded.name.clone(),
                file: loaded.file,
                path: loaded.path.clone(),
                display_path: loaded.display_path.clone(),
                is_builtin: loaded.is_builtin,
                imports: loaded
                    .imports
                    .iter()
                    .map(|e| (e.name.clone(), e.module))
                    .collect(),
                docs: loaded.ast.docs.0.clone(),
                annotations: Vec::new(),
                items,
            });
        }
    }

    fn declare(&mut self, module: ModuleId, decl: &'a ast::Decl) -> ItemId {
        let name = decl.name.name.clone();
        let span = decl.name.span;
        let docs = decl.docs.0.clone();
        match &decl.kind {
            ast::DeclKind::Table(fields) | ast::DeclKind::Struct(fields) => {
                let id = RecordId(self.records.len() as u32);
                let kind = if matches!(decl.kind, ast::DeclKind::Table(_)) {
                    ir::RecordKind::Table
                } else {
                    ir::RecordKind::Struct
                };
                self.records.push(ir::Record {
                    module,
                    name,
                    kind,
                    fields: fields
                        .iter()
                        .map(|f| ir::Field {
                            name: f.name.name.clone(),
                            ty: ir::Type::Bool,
                            docs: f.docs.0.clone(),
                            annotations: Vec::new(),
                            span: f.name.span,
                        })
                        .collect(),
                    docs,
                    annotations: Vec::new(),
                    span,
                });
                self.record_ast.push(decl);
                ItemId::Record(id)
            }
            ast::DeclKind::Enum { base, values } => {
                let id = EnumId(self.enums.len() as u32);
                self.enums.push(ir::Enum {
                    module,
                    name,
                    base: base.map_or(ir::IntType::Byte, |(b, _)| b),
                    values: values
                        .iter()
                        .map(|v| ir::EnumValue {
                            name: v.name.name.clone(),
                            value: 0,
                            docs: v.docs.0.clone(),
                            annotations: Vec::new(),
                            span: v.name.span,
                        })
                        .collect(),
                    is_flag: false,
                    is_error: false,
                    docs,
                    annotations: Vec::new(),
                    span,
                });
                self.enum_ast.push(decl);
                ItemId::Enum(id)
            }
            ast::DeclKind::Contract { methods, .. } => {
                let id = ContractId(self.contracts.len() as u32);
                self.contracts.push(ir::Contract {
                    module,
                    name,
                    bases: Vec::new(),
                    methods: methods
                        .iter()
                        .map(|m| ir::Method {
                            name: m.name.name.clone(),
                            params: m.params.iter().map(placeholder_param).collect(),
                            returns: m.returns.iter().map(placeholder_param).collect(),
                            is_async: false,
                            docs: m.docs.0.clone(),
                            annotations: Vec::new(),
                            span: m.name.span,
                        })
                        .collect(),
                    docs,
                    annotations: Vec::new(),
                    span,
                });
                self.base_spans.push(Vec::new());
                self.contract_in_cycle.push(false);
                self.contract_ast.push(decl);
                ItemId::Contract(id)
            }
        }
    }
}

fn placeholder_param(p: &ast::Param) -> ir::Param {
    ir::Param {
        name: p.name.as_ref().map(|n| n.name.clone()),
        ty: ir::Type::Bool,
        docs: p.docs.0.clone(),
        annotations: Vec::new(),
        span: p.span,
    }
}
