//! Pass 3: name resolution. Resolves the type of every field, param and
//! return value, and the bases of every contract, to ids. Unknown names get
//! "did you mean" suggestions; contracts used as data types are rejected.
//!
//! Output: [`Resolved`], the records and contracts of the IR with their
//! types and bases. The [`Resolver`] it uses is also how the annotation
//! pass resolves the names in annotations.

use gslang_syntax::ast::{self, Dim, TypeBase};
use gslang_syntax::{Diagnostic, Ident, Scalar, Span};

use crate::collect::{Collected, builtin_module};
use crate::errors::{NameError, NameHint};
use crate::ids::{Arena, ContractId};
use crate::ir::{self, ItemId, ModuleId, RecordKind, Type};
use crate::load::BUILTIN_NAME;
use crate::suggest;

/// The deepest nesting of `[]` and `[N]` in one type.
pub const MAX_TYPE_DEPTH: usize = 64;

/// The largest `N` of an array type `[N]T`.
pub const MAX_ARRAY_LEN: i128 = 65535;

/// What a path is expected to name, for messages and suggestions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A table, struct or enum.
    Type,
    /// A contract.
    Contract,
    /// A table used as an annotation.
    Annotation,
}

impl Expect {
    fn noun(self) -> &'static str {
        match self {
            Expect::Type => "type",
            Expect::Contract => "contract",
            Expect::Annotation => "annotation",
        }
    }
}

/// The records and contracts with their types and bases resolved.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub records: Arena<ir::RecordId, ir::Record>,
    pub contracts: Arena<ContractId, ir::Contract>,
    /// For each contract, the span of each resolved base (parallel to `bases`).
    pub base_spans: Vec<Vec<Span>>,
}

/// Resolves names as seen from a module, reporting the ones that name nothing.
pub(crate) struct Resolver<'c, 'a> {
    pub collected: &'c Collected<'a>,
    pub diags: &'c mut Vec<Diagnostic>,
}

/// Resolves every type and contract base.
pub(crate) fn resolve(collected: &Collected<'_>, diags: &mut Vec<Diagnostic>) -> Resolved {
    let mut r = Resolver { collected, diags };
    let mut records = Arena::new();
    for (id, decl) in collected.records.iter() {
        let fields = collected
            .record_fields(id)
            .iter()
            .map(|f| ir::Field {
                name: f.name.name.clone(),
                // An unresolved type was reported; `bool` stands in so that
                // checking goes on (no model is made).
                ty: r
                    .resolve_type(decl.module, &f.ty)
                    .unwrap_or(Type::Scalar(Scalar::Bool)),
                docs: f.docs.0.clone(),
                annotations: Vec::new(),
                span: f.name.span,
            })
            .collect();
        let pushed = records.push(ir::Record {
            module: decl.module,
            name: decl.ast.name.name.clone(),
            kind: collected.record_kind(id),
            fields,
            docs: decl.ast.docs.0.clone(),
            annotations: Vec::new(),
            span: decl.ast.name.span,
        });
        debug_assert_eq!(pushed, id);
    }
    let mut contracts = Arena::new();
    let mut base_spans = Vec::with_capacity(collected.contracts.len());
    for (id, decl) in collected.contracts.iter() {
        let (bases, spans) = r.resolve_bases(decl.module, decl.ast);
        let methods = collected
            .contract_methods(id)
            .iter()
            .map(|m| ir::Method {
                name: m.name.name.clone(),
                params: m.params.iter().map(|p| r.param(decl.module, p)).collect(),
                returns: m.returns.iter().map(|p| r.param(decl.module, p)).collect(),
                is_async: false,
                docs: m.docs.0.clone(),
                annotations: Vec::new(),
                span: m.name.span,
            })
            .collect();
        let pushed = contracts.push(ir::Contract {
            module: decl.module,
            name: decl.ast.name.name.clone(),
            bases,
            methods,
            docs: decl.ast.docs.0.clone(),
            annotations: Vec::new(),
            span: decl.ast.name.span,
        });
        debug_assert_eq!(pushed, id);
        base_spans.push(spans);
    }
    Resolved {
        records,
        contracts,
        base_spans,
    }
}

impl Resolver<'_, '_> {
    fn error(&mut self, diag: impl Into<Diagnostic>) {
        self.diags.push(diag.into());
    }

    fn param(&mut self, module: ModuleId, p: &ast::Param) -> ir::Param {
        ir::Param {
            name: p.name.as_ref().map(|n| n.name.clone()),
            ty: self
                .resolve_type(module, &p.ty)
                .unwrap_or(Type::Scalar(Scalar::Bool)),
            docs: p.docs.0.clone(),
            annotations: Vec::new(),
            span: p.span,
        }
    }

    /// The bases of a contract, each once, with their spans.
    fn resolve_bases(
        &mut self,
        module: ModuleId,
        decl: &ast::Decl,
    ) -> (Vec<ContractId>, Vec<Span>) {
        let mut bases: Vec<ContractId> = Vec::new();
        let mut spans = Vec::new();
        let ast::DeclKind::Contract { bases: paths, .. } = &decl.kind else {
            return (bases, spans);
        };
        for base in paths {
            match self.resolve_path(module, base, Expect::Contract) {
                Some(ItemId::Contract(b)) => {
                    if let Some(at) = bases.iter().position(|&x| x == b) {
                        self.error(NameError::RepeatedBase {
                            base: base.to_string(),
                            span: base.span,
                            first: spans[at],
                        });
                        continue;
                    }
                    bases.push(b);
                    spans.push(base.span);
                }
                Some(other) => {
                    let what = self.collected.describe_item(other);
                    let declared = self.collected.item_span(other);
                    self.error(NameError::NotAContract {
                        base: base.to_string(),
                        span: base.span,
                        what,
                        declared,
                    });
                }
                None => {}
            }
        }
        (bases, spans)
    }

    /// Resolves a type as written in `module`; `None` after reporting an error.
    pub(crate) fn resolve_type(&mut self, module: ModuleId, ty: &ast::TypeExpr) -> Option<Type> {
        if ty.dims.len() > MAX_TYPE_DEPTH {
            self.error(NameError::TypeTooDeep {
                span: ty.span,
                depth: ty.dims.len(),
                max: MAX_TYPE_DEPTH,
            });
            return None;
        }
        let mut lens = Vec::new();
        let mut ok = true;
        for dim in &ty.dims {
            if let Dim::Array(lit, _) = dim {
                match lit.value() {
                    Some(n) if (1..=MAX_ARRAY_LEN).contains(&n) => lens.push(n as u32),
                    // Reported by the lexer.
                    _ if lit.is_malformed() => ok = false,
                    len => {
                        self.error(NameError::ArrayLength {
                            span: lit.span,
                            len,
                            max: MAX_ARRAY_LEN,
                        });
                        ok = false;
                    }
                }
            }
        }
        let mut resolved = match &ty.base {
            TypeBase::Scalar(s, _) => Type::Scalar(*s),
            TypeBase::Path(path) => match self.resolve_path(module, path, Expect::Type)? {
                ItemId::Record(id) => Type::Record(id),
                ItemId::Enum(id) => Type::Enum(id),
                ItemId::Contract(id) => {
                    let declared = self.collected.item_span(ItemId::Contract(id));
                    self.error(NameError::ContractAsType {
                        path: path.to_string(),
                        span: path.span,
                        declared,
                    });
                    return None;
                }
            },
        };
        if !ok {
            return None;
        }
        let mut lens = lens.into_iter().rev();
        for dim in ty.dims.iter().rev() {
            resolved = match dim {
                Dim::List(_) => Type::List(Box::new(resolved)),
                Dim::Array(..) => Type::Array(lens.next().unwrap_or(1), Box::new(resolved)),
            };
        }
        Some(resolved)
    }

    /// Resolves `Name` or `module.Name` as seen from `module`; reports and
    /// returns `None` when there is no such declaration.
    pub(crate) fn resolve_path(
        &mut self,
        module: ModuleId,
        path: &ast::Path,
        expect: Expect,
    ) -> Option<ItemId> {
        if let Some(item) = self.collected.lookup_path(module, path) {
            return Some(item);
        }
        match path.segments.as_slice() {
            [name] => {
                let hint = self.hint(module, name, expect);
                self.error(NameError::UnknownName {
                    noun: expect.noun(),
                    name: name.name.clone(),
                    span: name.span,
                    hint,
                });
            }
            [qualifier, name] => {
                let target = self.resolve_module(module, qualifier)?;
                let mut candidates = self.candidates(target, expect);
                candidates.sort_unstable();
                let suggestion = suggest::closest(&name.name, candidates).map(Into::into);
                self.error(NameError::UnknownInModule {
                    noun: expect.noun(),
                    name: name.name.clone(),
                    module: qualifier.name.clone(),
                    span: name.span,
                    suggestion,
                });
            }
            _ => self.error(NameError::PathTooLong {
                noun: expect.noun(),
                path: path.to_string(),
                span: path.span,
            }),
        }
        None
    }

    /// Resolves the module part of a qualified name.
    pub(crate) fn resolve_module(
        &mut self,
        module: ModuleId,
        qualifier: &Ident,
    ) -> Option<ModuleId> {
        if qualifier.name == BUILTIN_NAME {
            return Some(builtin_module());
        }
        let scope = &self.collected.scopes[module.index()];
        if let Some(&target) = scope.imports.get(&qualifier.name) {
            return Some(target);
        }
        if scope.failed_imports.contains(&qualifier.name) {
            // The import itself was reported.
            return None;
        }
        let candidates = scope
            .imports
            .keys()
            .map(|k| k.as_str())
            .chain([BUILTIN_NAME]);
        let suggestion = suggest::closest(&qualifier.name, candidates).map(Into::into);
        self.error(NameError::UnknownModule {
            name: qualifier.name.clone(),
            span: qualifier.span,
            suggestion,
        });
        None
    }

    /// The names declared in `module` that could stand where `expect` is:
    /// suggestions never propose a struct as an annotation or a contract as
    /// a type.
    fn candidates(&self, module: ModuleId, expect: Expect) -> Vec<&str> {
        self.collected.scopes[module.index()]
            .decls
            .iter()
            .filter(|&(_, &item)| match (expect, item) {
                (Expect::Type, ItemId::Record(_) | ItemId::Enum(_)) => true,
                (Expect::Contract, ItemId::Contract(_)) => true,
                (Expect::Annotation, ItemId::Record(id)) => {
                    self.collected.record_kind(id) == RecordKind::Table
                }
                _ => false,
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// What an unknown one-segment name probably meant.
    fn hint(&self, module: ModuleId, name: &Ident, expect: Expect) -> NameHint {
        if expect == Expect::Type {
            if let Some(ours) = suggest::foreign_type(&name.name) {
                return NameHint::Foreign(ours);
            }
        }
        let keywords = Scalar::ALL
            .iter()
            .map(|s| s.keyword())
            .filter(|_| expect == Expect::Type);
        // Sorted, so that ties between equally close names resolve the same way every run.
        let mut candidates = self.candidates(module, expect);
        candidates.extend(self.candidates(builtin_module(), expect));
        candidates.extend(keywords);
        candidates.sort_unstable();
        if let Some(s) = suggest::closest(&name.name, candidates) {
            return NameHint::Similar(s.into());
        }
        // Declared in an imported module?
        let scopes = &self.collected.scopes;
        let mut imports: Vec<(&str, ModuleId)> = scopes[module.index()]
            .imports
            .iter()
            .map(|(k, &v)| (k.as_str(), v))
            .collect();
        imports.sort_unstable();
        match imports
            .iter()
            .find(|(_, m)| scopes[m.index()].decls.contains_key(&name.name))
        {
            Some((alias, _)) => NameHint::Imported((*alias).into()),
            None => NameHint::None,
        }
    }
}
