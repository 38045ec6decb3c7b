//! Annotations (spec §6): every annotation names a table; its arguments are
//! type-checked against the table's fields and evaluated to typed values,
//! which are attached to the annotated item; `@Usage` restricts where a table
//! may be placed. The built-in annotations set the flags of the model
//! (`is_flag`, `is_error`, `is_async`).

use gslang_syntax::ast::{self, Term};
use gslang_syntax::{Diagnostic, Span};
use smol_str::SmolStr;

use crate::cx::Cx;
use crate::ir::{
    self, Builtins, ContractId, EnumId, ItemId, ModuleId, RecordId, RecordKind, RecordValue,
    Target, Type, Value,
};
use crate::resolve::Expect;
use crate::suggest;

/// An annotation placed on an item, remembered for the `@Usage` check.
struct Placed {
    table: RecordId,
    target: Target,
    span: Span,
}

impl<'a> Cx<'a> {
    /// Finds the declarations of the built-in module the language gives meaning to.
    pub(crate) fn find_builtins(&mut self) {
        let scope = &self.scopes[0].decls;
        let record = |name: &str| match scope.get(name) {
            Some(ItemId::Record(id)) => Some(*id),
            _ => None,
        };
        let enum_ = |name: &str| match scope.get(name) {
            Some(ItemId::Enum(id)) => Some(*id),
            _ => None,
        };
        self.builtins = (|| {
            Some(Builtins {
                module: ModuleId(0),
                target: enum_("Target")?,
                usage: record("Usage")?,
                flag: record("Flag")?,
                error: record("Error")?,
                async_: record("Async")?,
                profile: record("Profile")?,
                deprecated: record("Deprecated")?,
                fault: enum_("Fault")?,
            })
        })();
    }

    /// Marks `@Flag` and `@Error` enums before any annotation is evaluated:
    /// `|` in an argument needs to know which enums are bit sets.
    pub(crate) fn mark_enum_kinds(&mut self) {
        let Some(builtins) = self.builtins else {
            return;
        };
        for id in 0..self.enums.len() {
            let module = self.enums[id].module;
            for ann in &self.enum_ast[id].annotations {
                match self.lookup_path(module, &ann.path) {
                    Some(ItemId::Record(r)) if r == builtins.flag => self.enums[id].is_flag = true,
                    Some(ItemId::Record(r)) if r == builtins.error => {
                        self.enums[id].is_error = true
                    }
                    _ => {}
                }
            }
        }
    }

    pub(crate) fn check_annotations(&mut self) {
        let mut placed = Vec::new();
        let loaded: &'a [crate::load::LoadedModule] = self.loaded;
        for (index, module) in loaded.iter().enumerate() {
            let id = ModuleId(index as u32);
            for item in &module.ast.items {
                if let ast::Item::ModuleAnnotation(ann) = item {
                    if let Some(value) = self.eval_annotation(id, ann, Target::Module, &mut placed)
                    {
                        self.modules[index].annotations.push(value);
                    }
                }
            }
        }
        for id in 0..self.records.len() {
            let decl = self.record_ast[id];
            let module = self.records[id].module;
            let target = match self.records[id].kind {
                RecordKind::Table => Target::Table,
                RecordKind::Struct => Target::Struct,
            };
            self.records[id].annotations =
                self.eval_all(module, &decl.annotations, target, &mut placed);
            for (f, field) in self.record_fields(RecordId(id as u32)).iter().enumerate() {
                self.records[id].fields[f].annotations =
                    self.eval_all(module, &field.annotations, Target::Field, &mut placed);
            }
        }
        for id in 0..self.enums.len() {
            let decl = self.enum_ast[id];
            let module = self.enums[id].module;
            self.enums[id].annotations =
                self.eval_all(module, &decl.annotations, Target::Enum, &mut placed);
            for (v, value) in self.enum_values(EnumId(id as u32)).iter().enumerate() {
                self.enums[id].values[v].annotations =
                    self.eval_all(module, &value.annotations, Target::EnumValue, &mut placed);
            }
        }
        for id in 0..self.contracts.len() {
            let decl = self.contract_ast[id];
            let module = self.contracts[id].module;
            self.contracts[id].annotations =
                self.eval_all(module, &decl.annotations, Target::Contract, &mut placed);
            for (m, method) in self
                .contract_methods(ContractId(id as u32))
                .iter()
                .enumerate()
            {
                let anns = self.eval_all(module, &method.annotations, Target::Method, &mut placed);
                let params: Vec<_> = method
                    .params
                    .iter()
                    .map(|p| self.eval_all(module, &p.annotations, Target::Param, &mut placed))
                    .collect();
                let returns: Vec<_> = method
                    .returns
                    .iter()
                    .map(|p| self.eval_all(module, &p.annotations, Target::Return, &mut placed))
                    .collect();
                let ir_method = &mut self.contracts[id].methods[m];
                ir_method.annotations = anns;
                for (p, anns) in params.into_iter().enumerate() {
                    ir_method.params[p].annotations = anns;
                }
                for (p, anns) in returns.into_iter().enumerate() {
                    ir_method.returns[p].annotations = anns;
                }
            }
        }
        self.check_usage(&placed);
        self.check_async();
    }

    fn eval_all(
        &mut self,
        module: ModuleId,
        anns: &[ast::Annotation],
        target: Target,
        placed: &mut Vec<Placed>,
    ) -> Vec<ir::Annotation> {
        anns.iter()
            .filter_map(|a| self.eval_annotation(module, a, target, placed))
            .collect()
    }

    fn eval_annotation(
        &mut self,
        module: ModuleId,
        ann: &ast::Annotation,
        target: Target,
        placed: &mut Vec<Placed>,
    ) -> Option<ir::Annotation> {
        let item = self.resolve_path(module, &ann.path, Expect::Annotation)?;
        let table = match item {
            ItemId::Record(id) if self.records[id.index()].kind == RecordKind::Table => id,
            other => {
                let what = self.describe_item(other);
                let declared = self.item_span(other);
                let mut diag = Diagnostic::error(
                    "E0500",
                    format!("`{}` cannot be used as an annotation", ann.path),
                    ann.path.span,
                )
                .with_label(format!("this is {what}"))
                .with_secondary(declared, "declared here")
                .with_note("an annotation names a table");
                if matches!(other, ItemId::Record(_)) {
                    diag = diag.with_help(format!(
                        "declare it with `table {}` to use it as an annotation",
                        self.item_name(other)
                    ));
                }
                self.error(diag);
                return None;
            }
        };
        let args = ann.args.as_deref().unwrap_or(&[]);
        let value = self.eval_args(module, table, args, ann.path.span);
        placed.push(Placed {
            table,
            target,
            span: ann.span,
        });
        Some(ir::Annotation {
            table,
            value,
            span: ann.span,
        })
    }

    /// Builds a record value from arguments; fields not given stay `None`.
    fn eval_args(
        &mut self,
        module: ModuleId,
        record: RecordId,
        args: &[ast::Arg],
        name_span: Span,
    ) -> RecordValue {
        let fields: Vec<(SmolStr, Type)> = self.records[record.index()]
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect();
        let record_name = self.records[record.index()].name.clone();
        let mut values: Vec<Option<Value>> = vec![None; fields.len()];
        let mut given: Vec<Option<Span>> = vec![None; fields.len()];
        for (position, arg) in args.iter().enumerate() {
            let index = match &arg.name {
                Some(name) => match fields.iter().position(|(f, _)| *f == name.name) {
                    Some(index) => index,
                    None => {
                        let suggestion =
                            suggest::closest(&name.name, fields.iter().map(|(f, _)| f.as_str()));
                        let listing = if fields.is_empty() {
                            format!("`{record_name}` has no fields")
                        } else {
                            format!(
                                "the fields of `{record_name}` are {}",
                                fields
                                    .iter()
                                    .map(|(f, _)| format!("`{f}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        };
                        self.error(
                            Diagnostic::error(
                                "E0502",
                                format!("`{record_name}` has no field `{name}`"),
                                name.span,
                            )
                            .with_label("unknown field")
                            .with_note(listing)
                            .with_help_opt(suggestion.map(|s| format!("did you mean `{s}`?"))),
                        );
                        continue;
                    }
                },
                None => position,
            };
            if index >= fields.len() {
                let count = fields.len();
                self.error(
                    Diagnostic::error(
                        "E0501",
                        format!("too many arguments for `{record_name}`"),
                        arg.span,
                    )
                    .with_label("unexpected argument")
                    .with_secondary(
                        name_span,
                        format!(
                            "`{record_name}` has {count} field{}",
                            if count == 1 { "" } else { "s" }
                        ),
                    ),
                );
                break;
            }
            if let Some(first) = given[index] {
                let field = &fields[index].0;
                self.error(
                    Diagnostic::error("E0503", format!("field `{field}` is given twice"), arg.span)
                        .with_label("given again here")
                        .with_secondary(first, "first given here"),
                );
                continue;
            }
            given[index] = Some(arg.span);
            let (field, ty) = &fields[index];
            values[index] = self.eval_expr(module, &arg.value, ty, field);
        }
        RecordValue {
            record,
            fields: values,
        }
    }

    fn eval_expr(
        &mut self,
        module: ModuleId,
        expr: &ast::Expr,
        ty: &Type,
        field: &str,
    ) -> Option<Value> {
        if expr.terms.len() > 1 {
            return match ty {
                Type::Enum(e) if self.enums[e.index()].is_flag => {
                    let mut bits = 0i64;
                    for term in &expr.terms {
                        bits |= self.eval_enum_const(module, term, *e, field)?;
                    }
                    Some(Value::Enum(*e, bits))
                }
                _ => {
                    let mut diag = Diagnostic::error(
                        "E0505",
                        "`|` only combines values of a `@Flag` enum",
                        expr.span,
                    )
                    .with_label(format!(
                        "field `{field}` expects {}",
                        self.describe_type(ty)
                    ));
                    if let Type::Enum(e) = ty {
                        let e = &self.enums[e.index()];
                        diag = diag
                            .with_secondary(e.span, format!("`{}` is not a `@Flag` enum", e.name))
                            .with_help("annotate the enum with `@Flag` to make it a bit set");
                    }
                    self.error(diag);
                    None
                }
            };
        }
        let term = expr.terms.first()?;
        match (term, ty) {
            (Term::Int(lit), _) if ty.int_range().is_some() => {
                let (lo, hi) = ty.int_range().unwrap_or((0, 0));
                match lit.value() {
                    Some(v) if (lo..=hi).contains(&v) => Some(Value::Int(v)),
                    _ => {
                        self.error(
                            Diagnostic::error(
                                "E0506",
                                format!("value out of range for field `{field}`"),
                                lit.span,
                            )
                            .with_label(format!("does not fit in `{}`", type_keyword(ty)))
                            .with_note(format!("`{}` holds {lo} to {hi}", type_keyword(ty))),
                        );
                        None
                    }
                }
            }
            (Term::Int(lit), Type::Float32 | Type::Float64) => match lit.value() {
                Some(v) => Some(Value::Float(v as f64)),
                None => {
                    self.error(
                        Diagnostic::error(
                            "E0506",
                            format!("value out of range for field `{field}`"),
                            lit.span,
                        )
                        .with_label("this number is too large"),
                    );
                    None
                }
            },
            (
                Term::Float {
                    negative,
                    text,
                    span,
                },
                Type::Float32 | Type::Float64,
            ) => {
                let v: f64 = text.parse().unwrap_or(f64::INFINITY);
                let v = if *negative { -v } else { v };
                let fits =
                    v.is_finite() && (*ty == Type::Float64 || v.abs() <= f64::from(f32::MAX));
                if fits {
                    Some(Value::Float(v))
                } else {
                    self.error(
                        Diagnostic::error(
                            "E0506",
                            format!("value out of range for field `{field}`"),
                            *span,
                        )
                        .with_label(format!("does not fit in `{}`", type_keyword(ty))),
                    );
                    None
                }
            }
            (Term::Str(s), Type::String) => Some(Value::String(s.value.clone())),
            (Term::Bool(b, _), Type::Bool) => Some(Value::Bool(*b)),
            (Term::Path(_), Type::Enum(e)) => {
                let v = self.eval_enum_const(module, term, *e, field)?;
                Some(Value::Enum(*e, v))
            }
            (Term::Table { path, args, .. }, Type::Record(r)) => {
                let found = self.resolve_path(module, path, Expect::Type)?;
                if found != ItemId::Record(*r) {
                    let what = self.describe_item(found);
                    let want = self.records[r.index()].name.clone();
                    self.error(
                        Diagnostic::error(
                            "E0504",
                            format!("mismatched value for field `{field}`"),
                            path.span,
                        )
                        .with_label(format!("expected a `{want}` value, found {what}")),
                    );
                    return None;
                }
                Some(Value::Record(self.eval_args(module, *r, args, path.span)))
            }
            (_, Type::List(_) | Type::Array(..)) => {
                let (what, zero) = match ty {
                    Type::List(_) => ("a list", "it is then empty"),
                    _ => ("an array", "its elements are then zero values"),
                };
                self.error(
                    Diagnostic::error(
                        "E0507",
                        format!("field `{field}` is {what} and cannot be given in an annotation"),
                        term.span(),
                    )
                    .with_label("annotation arguments cannot write lists or arrays")
                    .with_help(format!("leave the field out: {zero}")),
                );
                None
            }
            _ => {
                let mut diag = Diagnostic::error(
                    "E0504",
                    format!("mismatched value for field `{field}`"),
                    term.span(),
                )
                .with_label(format!(
                    "expected {}, found {}",
                    self.describe_type(ty),
                    describe_term(term)
                ));
                if let (Term::Path(path), Type::Record(r)) = (term, ty) {
                    if self.lookup_path(module, path) == Some(ItemId::Record(*r)) {
                        diag = diag.with_help(format!("write a value of it: `{path}(…)`"));
                    }
                } else if let (Term::Table { path, .. }, Type::Enum(_)) = (term, ty) {
                    diag = diag.with_help(format!("an enum constant has no arguments: `{path}`"));
                }
                self.error(diag);
                None
            }
        }
    }

    /// The number of an enum constant `Enum.Value` (or `module.Enum.Value`) of enum `e`.
    fn eval_enum_const(
        &mut self,
        module: ModuleId,
        term: &Term,
        e: EnumId,
        field: &str,
    ) -> Option<i64> {
        let enum_name = self.enums[e.index()].name.clone();
        let Term::Path(path) = term else {
            self.error(
                Diagnostic::error(
                    "E0504",
                    format!("mismatched value for field `{field}`"),
                    term.span(),
                )
                .with_label(format!(
                    "expected a value of enum `{enum_name}`, found {}",
                    describe_term(term)
                )),
            );
            return None;
        };
        let (enum_path, value) = match path.segments.split_last() {
            Some((value, rest)) if !rest.is_empty() => (
                ast::Path {
                    segments: rest.to_vec(),
                    span: rest[0].span.to(rest[rest.len() - 1].span),
                },
                value,
            ),
            _ => {
                let name = &path.segments[0].name;
                let known = self.enums[e.index()].values.iter().any(|v| v.name == *name);
                let mut diag =
                    Diagnostic::error("E0508", format!("cannot find value `{name}`"), path.span)
                        .with_label(format!(
                            "field `{field}` expects a value of enum `{enum_name}`"
                        ));
                diag = if known {
                    diag.with_help(format!(
                        "enum constants are qualified: write `{enum_name}.{name}`"
                    ))
                } else {
                    let names: Vec<&str> = self.enums[e.index()]
                        .values
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect();
                    match suggest::closest(name, names.iter().copied()) {
                        Some(s) => diag.with_help(format!("did you mean `{enum_name}.{s}`?")),
                        None => diag.with_note(format!(
                            "the values of `{enum_name}` are {}",
                            list_names(&names)
                        )),
                    }
                };
                self.error(diag);
                return None;
            }
        };
        let found = self.resolve_path(module, &enum_path, Expect::Type)?;
        let ItemId::Enum(found) = found else {
            let what = self.describe_item(found);
            self.error(
                Diagnostic::error(
                    "E0504",
                    format!("mismatched value for field `{field}`"),
                    enum_path.span,
                )
                .with_label(format!("expected enum `{enum_name}`, found {what}")),
            );
            return None;
        };
        if found != e {
            let found_name = self.enums[found.index()].name.clone();
            self.error(
                Diagnostic::error(
                    "E0509",
                    format!("mismatched value for field `{field}`"),
                    path.span,
                )
                .with_label(format!(
                    "expected a value of enum `{enum_name}`, found a value of enum `{found_name}`"
                )),
            );
            return None;
        }
        match self.enums[e.index()]
            .values
            .iter()
            .find(|v| v.name == value.name)
        {
            Some(v) => Some(v.value),
            None => {
                let names: Vec<&str> = self.enums[e.index()]
                    .values
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect();
                let suggestion = suggest::closest(&value.name, names.iter().copied());
                let diag = Diagnostic::error(
                    "E0510",
                    format!("enum `{enum_name}` has no value `{value}`"),
                    value.span,
                )
                .with_label("unknown value");
                let diag = match suggestion {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag.with_note(format!(
                        "the values of `{enum_name}` are {}",
                        list_names(&names)
                    )),
                };
                self.error(diag);
                None
            }
        }
    }

    fn check_usage(&mut self, placed: &[Placed]) {
        let Some(builtins) = self.builtins else {
            return;
        };
        for p in placed {
            let table = &self.records[p.table.index()];
            let Some(usage) = table.annotations.iter().find(|a| a.table == builtins.usage) else {
                continue;
            };
            let bits = match usage.value.get(0) {
                Some(Value::Enum(_, bits)) => *bits,
                _ => 0,
            };
            if bits & p.target.bit() != 0 {
                continue;
            }
            let allowed: Vec<&str> = Target::ALL
                .iter()
                .filter(|t| bits & t.bit() != 0)
                .map(|t| t.describe())
                .collect();
            let note = if allowed.is_empty() {
                format!("`@{}` may not be placed anywhere", table.name)
            } else {
                format!(
                    "`@{}` may only be placed on {}",
                    table.name,
                    join_or(&allowed)
                )
            };
            let diag = Diagnostic::error(
                "E0511",
                format!(
                    "`@{}` cannot be placed on {}",
                    table.name,
                    p.target.describe()
                ),
                p.span,
            )
            .with_label("not allowed here")
            .with_secondary(usage.span, format!("`{}` is restricted here", table.name))
            .with_note(note);
            self.error(diag);
        }
    }

    fn check_async(&mut self) {
        let Some(builtins) = self.builtins else {
            return;
        };
        let mut diags = Vec::new();
        for (id, contract) in self.contracts.iter_mut().enumerate() {
            let methods = match &self.contract_ast[id].kind {
                ast::DeclKind::Contract { methods, .. } => methods.as_slice(),
                _ => &[],
            };
            for (method, ast_method) in contract.methods.iter_mut().zip(methods) {
                let Some(ann) = method
                    .annotations
                    .iter()
                    .find(|a| a.table == builtins.async_)
                else {
                    continue;
                };
                method.is_async = true;
                if let (Some(first), Some(last)) =
                    (ast_method.returns.first(), ast_method.returns.last())
                {
                    diags.push(
                        Diagnostic::error(
                            "E0360",
                            format!("`@Async` method `{}` cannot return values", method.name),
                            first.span.to(last.span),
                        )
                        .with_label("returns declared here")
                        .with_secondary(ann.span, "the method is one-way")
                        .with_note(
                            "an `@Async` call gets no reply, so it cannot carry return values",
                        )
                        .with_help("remove the returns, or remove `@Async`"),
                    );
                }
            }
        }
        self.diags.extend(diags);
    }

    fn describe_type(&self, ty: &Type) -> String {
        match ty {
            Type::Bool => "`true` or `false`".to_owned(),
            Type::String => "a string".to_owned(),
            Type::Float32 | Type::Float64 => format!("a number (`{}`)", type_keyword(ty)),
            Type::Enum(e) => format!("a value of enum `{}`", self.enums[e.index()].name),
            Type::Record(r) => {
                let name = &self.records[r.index()].name;
                format!("a `{name}` value, written `{name}(…)`")
            }
            Type::List(_) | Type::Array(..) => "a list".to_owned(),
            _ => format!("an integer (`{}`)", type_keyword(ty)),
        }
    }
}

fn type_keyword(ty: &Type) -> &'static str {
    match ty {
        Type::Bool => "bool",
        Type::Byte => "byte",
        Type::SByte => "sbyte",
        Type::Int16 => "int16",
        Type::UInt16 => "uint16",
        Type::Int32 => "int32",
        Type::UInt32 => "uint32",
        Type::Int64 => "int64",
        Type::UInt64 => "uint64",
        Type::Float32 => "float32",
        Type::Float64 => "float64",
        Type::String => "string",
        _ => "type",
    }
}

fn describe_term(term: &Term) -> String {
    match term {
        Term::Int(lit) => format!(
            "integer `{}{}`",
            if lit.negative { "-" } else { "" },
            lit.digits
        ),
        Term::Float { negative, text, .. } => {
            format!("number `{}{text}`", if *negative { "-" } else { "" })
        }
        Term::Str(_) => "a string".to_owned(),
        Term::Bool(b, _) => format!("`{b}`"),
        Term::Path(path) => format!("`{path}`"),
        Term::Table { path, .. } => format!("a `{path}(…)` value"),
    }
}

fn list_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    let mut out = quoted.join(", ");
    if names.len() > 12 {
        out.push_str(", …");
    }
    out
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
