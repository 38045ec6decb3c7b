//! Pass 2: name resolution. Resolves the type of every field, param and
//! return value, and the bases of every contract, to ids. Unknown names get
//! "did you mean" suggestions; contracts used as data types are rejected.

use gslang_syntax::Diagnostic;
use gslang_syntax::ast::{self, Builtin, Dim, TypeBase};

use crate::cx::Cx;
use crate::ir::{ContractId, ItemId, ModuleId, RecordId, RecordKind, Type};
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

impl Cx<'_> {
    pub(crate) fn resolve(&mut self) {
        for id in 0..self.records.len() {
            let fields = self.record_fields(RecordId(id as u32));
            let module = self.records[id].module;
            for (index, field) in fields.iter().enumerate() {
                if let Some(ty) = self.resolve_type(module, &field.ty) {
                    self.records[id].fields[index].ty = ty;
                }
            }
        }
        for id in 0..self.contracts.len() {
            let contract = ContractId(id as u32);
            let module = self.contracts[id].module;
            let decl = self.contract_ast[id];
            if let ast::DeclKind::Contract { bases, .. } = &decl.kind {
                for base in bases {
                    match self.resolve_path(module, base, Expect::Contract) {
                        Some(ItemId::Contract(b)) => {
                            if let Some(at) = self.contracts[id].bases.iter().position(|&x| x == b)
                            {
                                let first = self.base_spans[id][at];
                                self.error(
                                    Diagnostic::warning(
                                        "W0320",
                                        format!("`{base}` is listed twice as a base"),
                                        base.span,
                                    )
                                    .with_label("listed again here")
                                    .with_secondary(first, "first listed here")
                                    .with_note(
                                        "a repeated base adds nothing: its methods appear once",
                                    ),
                                );
                                continue;
                            }
                            self.contracts[id].bases.push(b);
                            self.base_spans[id].push(base.span);
                        }
                        Some(other) => {
                            let other_span = self.item_span(other);
                            let what = self.describe_item(other);
                            self.error(
                                Diagnostic::error(
                                    "E0321",
                                    format!("`{base}` is not a contract"),
                                    base.span,
                                )
                                .with_label(format!("this is {what}"))
                                .with_secondary(other_span, "declared here")
                                .with_note("a contract can only inherit from contracts"),
                            );
                        }
                        None => {}
                    }
                }
            }
            let methods = self.contract_methods(contract);
            for (m, method) in methods.iter().enumerate() {
                for (p, param) in method.params.iter().enumerate() {
                    if let Some(ty) = self.resolve_type(module, &param.ty) {
                        self.contracts[id].methods[m].params[p].ty = ty;
                    }
                }
                for (p, param) in method.returns.iter().enumerate() {
                    if let Some(ty) = self.resolve_type(module, &param.ty) {
                        self.contracts[id].methods[m].returns[p].ty = ty;
                    }
                }
            }
        }
    }

    /// Resolves a type as written in `module`; `None` after reporting an error.
    pub(crate) fn resolve_type(&mut self, module: ModuleId, ty: &ast::TypeExpr) -> Option<Type> {
        if ty.dims.len() > MAX_TYPE_DEPTH {
            self.error(
                Diagnostic::error("E0310", "type is nested too deeply", ty.span)
                    .with_label(format!("{} levels of `[]` or `[N]`", ty.dims.len()))
                    .with_note(format!(
                        "a type may nest at most {MAX_TYPE_DEPTH} lists and arrays"
                    )),
            );
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
                    _ => {
                        self.error(
                            Diagnostic::error("E0311", "array length out of range", lit.span)
                                .with_label(match lit.value() {
                                    Some(n) => format!("an array of {n} elements"),
                                    None => "this number is too large".to_owned(),
                                })
                                .with_note(format!(
                                    "an array `[N]T` has 1 to {MAX_ARRAY_LEN} elements"
                                ))
                                .with_help_opt((lit.value() == Some(0)).then(|| {
                                    "use a list `[]T` for a variable number of elements".to_owned()
                                })),
                        );
                        ok = false;
                    }
                }
            }
        }
        let mut resolved = match &ty.base {
            TypeBase::Builtin(b, _) => builtin_type(*b),
            TypeBase::Path(path) => match self.resolve_path(module, path, Expect::Type)? {
                ItemId::Record(id) => Type::Record(id),
                ItemId::Enum(id) => Type::Enum(id),
                ItemId::Contract(id) => {
                    let span = self.contracts[id.index()].span;
                    self.error(
                        Diagnostic::error(
                            "E0312",
                            format!("contract `{path}` is not a data type"),
                            path.span,
                        )
                        .with_label("used as a type here")
                        .with_secondary(span, "contract declared here")
                        .with_note("contracts declare services; fields, params and elements are tables, structs, enums or built-in types"),
                    );
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

    /// Looks up `Name` or `module.Name` as seen from `module`, without reporting anything.
    pub(crate) fn lookup_path(&self, module: ModuleId, path: &ast::Path) -> Option<ItemId> {
        match path.segments.as_slice() {
            [name] => self.scopes[module.index()]
                .decls
                .get(&name.name)
                .or_else(|| self.scopes[0].decls.get(&name.name))
                .copied(),
            [qualifier, name] => {
                let target = if qualifier.name == BUILTIN_NAME {
                    ModuleId(0)
                } else {
                    *self.scopes[module.index()].imports.get(&qualifier.name)?
                };
                self.scopes[target.index()].decls.get(&name.name).copied()
            }
            _ => None,
        }
    }

    /// Resolves `Name` or `module.Name` as seen from `module`; reports and
    /// returns `None` when there is no such declaration.
    pub(crate) fn resolve_path(
        &mut self,
        module: ModuleId,
        path: &ast::Path,
        expect: Expect,
    ) -> Option<ItemId> {
        if let Some(item) = self.lookup_path(module, path) {
            return Some(item);
        }
        match path.segments.as_slice() {
            [name] => {
                let diag = self.unknown_name(module, name, expect);
                self.error(diag);
            }
            [qualifier, name] => {
                let target = self.resolve_module(module, qualifier)?;
                let mut candidates = self.candidates(target, expect);
                candidates.sort_unstable();
                let suggestion = suggest::closest(&name.name, candidates);
                self.error(
                    Diagnostic::error(
                        "E0302",
                        format!(
                            "cannot find {} `{name}` in module `{qualifier}`",
                            expect.noun()
                        ),
                        name.span,
                    )
                    .with_label(format!("not declared in `{qualifier}`"))
                    .with_help_opt(suggestion.map(|s| format!("did you mean `{qualifier}.{s}`?"))),
                );
            }
            _ => {
                self.error(
                    Diagnostic::error(
                        "E0303",
                        format!("`{path}` is not a valid {} name", expect.noun()),
                        path.span,
                    )
                    .with_label("too many `.`")
                    .with_note(
                        "a declaration is named `Name`, or `module.Name` when it is imported",
                    ),
                );
            }
        }
        None
    }

    /// Resolves the module part of a qualified name.
    pub(crate) fn resolve_module(
        &mut self,
        module: ModuleId,
        qualifier: &gslang_syntax::Ident,
    ) -> Option<ModuleId> {
        if qualifier.name == BUILTIN_NAME {
            return Some(ModuleId(0));
        }
        let scope = &self.scopes[module.index()];
        if let Some(&target) = scope.imports.get(&qualifier.name) {
            return Some(target);
        }
        if scope.failed_imports.contains(&qualifier.name) {
            // The import itself was reported.
            return None;
        }
        let candidates = self.scopes[module.index()]
            .imports
            .keys()
            .map(|k| k.as_str())
            .chain([BUILTIN_NAME]);
        let suggestion = suggest::closest(&qualifier.name, candidates);
        let mut diag = Diagnostic::error(
            "E0301",
            format!("cannot find module `{qualifier}`"),
            qualifier.span,
        )
        .with_label("not imported");
        diag = match suggestion {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help(format!("import it first: `import \"{qualifier}.gs\"`")),
        };
        self.error(diag);
        None
    }

    /// The names declared in `module` that could stand where `expect` is:
    /// suggestions never propose a struct as an annotation or a contract as
    /// a type.
    fn candidates(&self, module: ModuleId, expect: Expect) -> Vec<&str> {
        self.scopes[module.index()]
            .decls
            .iter()
            .filter(|&(_, &item)| match (expect, item) {
                (Expect::Type, ItemId::Record(_) | ItemId::Enum(_)) => true,
                (Expect::Contract, ItemId::Contract(_)) => true,
                (Expect::Annotation, ItemId::Record(id)) => {
                    self.records[id.index()].kind == RecordKind::Table
                }
                _ => false,
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }

    fn unknown_name(
        &self,
        module: ModuleId,
        name: &gslang_syntax::Ident,
        expect: Expect,
    ) -> Diagnostic {
        let mut diag = Diagnostic::error(
            "E0304",
            format!("cannot find {} `{name}`", expect.noun()),
            name.span,
        )
        .with_label("not found in this module");
        if expect == Expect::Type {
            if let Some(ours) = suggest::foreign_type(&name.name) {
                return diag
                    .with_label(format!("`{name}` is not a gslang type"))
                    .with_help(format!("did you mean `{ours}`?"));
            }
        }
        let keywords = Builtin::ALL
            .iter()
            .map(|b| b.name())
            .filter(|_| expect == Expect::Type);
        // Sorted, so that ties between equally close names resolve the same way every run.
        let mut candidates = self.candidates(module, expect);
        candidates.extend(self.candidates(ModuleId(0), expect));
        candidates.extend(keywords);
        candidates.sort_unstable();
        if let Some(s) = suggest::closest(&name.name, candidates) {
            return diag.with_help(format!("did you mean `{s}`?"));
        }
        // Declared in an imported module?
        let mut imports: Vec<(&str, ModuleId)> = self.scopes[module.index()]
            .imports
            .iter()
            .map(|(k, &v)| (k.as_str(), v))
            .collect();
        imports.sort_unstable();
        if let Some((alias, _)) = imports
            .iter()
            .find(|(_, m)| self.scopes[m.index()].decls.contains_key(&name.name))
        {
            diag = diag.with_help(format!(
                "`{name}` is declared in module `{alias}`: write `{alias}.{name}`"
            ));
        }
        diag
    }
}

/// The IR type of a built-in type keyword.
pub(crate) fn builtin_type(b: Builtin) -> Type {
    match b {
        Builtin::Bool => Type::Bool,
        Builtin::Byte => Type::Byte,
        Builtin::SByte => Type::SByte,
        Builtin::Int16 => Type::Int16,
        Builtin::UInt16 => Type::UInt16,
        Builtin::Int32 => Type::Int32,
        Builtin::UInt32 => Type::UInt32,
        Builtin::Int64 => Type::Int64,
        Builtin::UInt64 => Type::UInt64,
        Builtin::Float32 => Type::Float32,
        Builtin::Float64 => Type::Float64,
        Builtin::String => Type::String,
    }
}
