//! Pass 5: annotations (spec §6). Every annotation names a table; its
//! arguments are type-checked against the table's fields and evaluated to
//! typed values, with the fields not given filled with their zero values,
//! and attached to the annotated item; `@Usage` restricts where a table may
//! be placed. The built-in annotations set the flags of the model
//! (`is_flag`, `is_error`, `is_async`).
//!
//! Input: the collected declarations and the resolved, checked IR items;
//! output: the same items with their annotations, and the module
//! annotations.

use gslang_syntax::ast::{self, Term};
use gslang_syntax::{Diagnostic, Scalar, Span};
use smol_str::SmolStr;

use crate::collect::Collected;
use crate::errors::{AnnotationError, Limit};
use crate::ids::{Arena, ContractId, EnumId, RecordId};
use crate::ir::{
    Annotation, Builtins, Contract, Enum, FieldValue, ItemId, ModuleId, Record, RecordKind,
    RecordValue, Target, Type, Value,
};
use crate::resolve::{Expect, Resolver};
use crate::suggest;

/// The most values an annotation's value may hold, counting the zero values
/// of nested records: the zero value of a record is built in full, and
/// records may contain each other as a DAG, so without a bound a short
/// schema could ask for an exponential number of values.
pub const MAX_VALUE_SIZE: u64 = 1 << 16;

/// The deepest nesting of records in an annotation's value.
pub const MAX_VALUE_DEPTH: u32 = 64;

/// An annotation placed on an item, remembered for the `@Usage` check.
struct Placed {
    table: RecordId,
    target: Target,
    span: Span,
}

/// The IR items the annotations are attached to.
pub(crate) struct Items<'m> {
    pub records: &'m mut Arena<RecordId, Record>,
    pub enums: &'m mut Arena<EnumId, Enum>,
    pub contracts: &'m mut Arena<ContractId, Contract>,
}

/// Marks `@Flag` and `@Error` enums before any annotation is evaluated:
/// `|` in an argument needs to know which enums are bit sets.
pub(crate) fn mark_enum_kinds(
    collected: &Collected<'_>,
    builtins: &Builtins,
    enums: &mut Arena<EnumId, Enum>,
) {
    for (id, e) in enums.iter_mut() {
        for ann in &collected.enums[id].ast.annotations {
            match collected.lookup_path(e.module, &ann.path) {
                Some(ItemId::Record(r)) if r == builtins.flag => e.is_flag = true,
                Some(ItemId::Record(r)) if r == builtins.error => e.is_error = true,
                _ => {}
            }
        }
    }
}

/// Evaluates every annotation, attaches it to its item, and checks
/// placement; returns the module annotations, by `ModuleId`.
pub(crate) fn evaluate(
    collected: &Collected<'_>,
    builtins: &Builtins,
    items: Items<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<Annotation>> {
    let zero = ZeroCost::compute(items.records);
    let mut ev = Evaluator {
        resolver: Resolver { collected, diags },
        builtins,
        records: items.records,
        enums: items.enums,
        zero,
        placed: Vec::new(),
    };
    let modules: Vec<Vec<Annotation>> = collected
        .loaded
        .iter()
        .enumerate()
        .map(|(index, module)| {
            let id: ModuleId = crate::ids::make(index);
            module
                .ast
                .items
                .iter()
                .filter_map(|item| match item {
                    ast::Item::ModuleAnnotation(ann) => ev.eval(id, ann, Target::Module, None),
                    ast::Item::Decl(_) => None,
                })
                .collect()
        })
        .collect();

    let mut records = Vec::with_capacity(ev.records.len());
    for (id, decl) in collected.records.iter() {
        let (target, annotated) = match collected.record_kind(id) {
            RecordKind::Table => (Target::Table, Some(&decl.ast.name.name)),
            RecordKind::Struct => (Target::Struct, None),
        };
        let own = ev.eval_on(decl.module, &decl.ast.annotations, target, annotated);
        let fields: Vec<Vec<Annotation>> = collected
            .record_fields(id)
            .iter()
            .map(|f| ev.eval_all(decl.module, &f.annotations, Target::Field))
            .collect();
        records.push((own, fields));
    }
    let mut enums = Vec::with_capacity(ev.enums.len());
    for (id, decl) in collected.enums.iter() {
        let own = ev.eval_all(decl.module, &decl.ast.annotations, Target::Enum);
        let values: Vec<Vec<Annotation>> = collected
            .enum_values(id)
            .iter()
            .map(|v| ev.eval_all(decl.module, &v.annotations, Target::EnumValue))
            .collect();
        enums.push((own, values));
    }
    let mut contracts = Vec::with_capacity(items.contracts.len());
    for (id, decl) in collected.contracts.iter() {
        let own = ev.eval_all(decl.module, &decl.ast.annotations, Target::Contract);
        let methods: Vec<MethodAnnotations> = collected
            .contract_methods(id)
            .iter()
            .map(|m| MethodAnnotations {
                own: ev.eval_all(decl.module, &m.annotations, Target::Method),
                params: m
                    .params
                    .iter()
                    .map(|p| ev.eval_all(decl.module, &p.annotations, Target::Param))
                    .collect(),
                returns: m
                    .returns
                    .iter()
                    .map(|p| ev.eval_all(decl.module, &p.annotations, Target::Return))
                    .collect(),
            })
            .collect();
        contracts.push((own, methods));
    }
    let placed = std::mem::take(&mut ev.placed);
    ev.check_usage(&placed, &records);
    drop(ev);

    for ((_, record), (own, fields)) in items.records.iter_mut().zip(records) {
        record.annotations = own;
        for (field, anns) in record.fields.iter_mut().zip(fields) {
            field.annotations = anns;
        }
    }
    for ((_, e), (own, values)) in items.enums.iter_mut().zip(enums) {
        e.annotations = own;
        for (value, anns) in e.values.iter_mut().zip(values) {
            value.annotations = anns;
        }
    }
    for ((_, contract), (own, methods)) in items.contracts.iter_mut().zip(contracts) {
        contract.annotations = own;
        for (method, anns) in contract.methods.iter_mut().zip(methods) {
            method.annotations = anns.own;
            for (p, a) in method.params.iter_mut().zip(anns.params) {
                p.annotations = a;
            }
            for (p, a) in method.returns.iter_mut().zip(anns.returns) {
                p.annotations = a;
            }
        }
    }
    check_async(collected, builtins, items.contracts, diags);
    modules
}

struct MethodAnnotations {
    own: Vec<Annotation>,
    params: Vec<Vec<Annotation>>,
    returns: Vec<Vec<Annotation>>,
}

/// What building the zero value of each record costs: its number of values
/// and its depth of nested records; records on a containment cycle (an
/// error already reported) have none.
struct ZeroCost {
    size: Vec<u64>,
    depth: Vec<u32>,
    cyclic: Vec<bool>,
}

impl ZeroCost {
    fn compute(records: &Arena<RecordId, Record>) -> ZeroCost {
        let all: Vec<&Record> = records.values().collect();
        let n = all.len();
        let contained = |r: usize| -> Vec<usize> {
            all[r]
                .fields
                .iter()
                .filter_map(|f| match f.ty.under_arrays() {
                    Type::Record(id) => Some(id.index()),
                    _ => None,
                })
                .collect()
        };
        let mut size = vec![0u64; n];
        let mut depth = vec![0u32; n];
        let mut cyclic = vec![false; n];
        // 0: not visited, 1: on the stack, 2: done.
        let mut state = vec![0u8; n];
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, contained(start), 0usize)];
            state[start] = 1;
            while let Some((node, deps, next)) = stack.last_mut() {
                if let Some(&dep) = deps.get(*next) {
                    *next += 1;
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            stack.push((dep, contained(dep), 0));
                        }
                        1 => {
                            for (member, _, _) in stack.iter() {
                                cyclic[*member] = true;
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                let node = *node;
                stack.pop();
                state[node] = 2;
                let mut s = 1u64;
                let mut d = 1u32;
                for f in &all[node].fields {
                    let arrays = f.ty.walk().count() as u64 - 1;
                    s = s.saturating_add(arrays);
                    match f.ty.under_arrays() {
                        Type::Record(r) => {
                            cyclic[node] |= cyclic[r.index()];
                            s = s.saturating_add(size[r.index()]);
                            d = d.max(depth[r.index()].saturating_add(1));
                        }
                        _ => s = s.saturating_add(1),
                    }
                }
                size[node] = s;
                depth[node] = d;
            }
        }
        ZeroCost {
            size,
            depth,
            cyclic,
        }
    }

    fn fits(&self, r: RecordId) -> bool {
        let i = r.index();
        !self.cyclic[i] && self.size[i] <= MAX_VALUE_SIZE && self.depth[i] <= MAX_VALUE_DEPTH
    }
}

struct Evaluator<'c, 'a> {
    resolver: Resolver<'c, 'a>,
    builtins: &'c Builtins,
    records: &'c Arena<RecordId, Record>,
    enums: &'c Arena<EnumId, Enum>,
    zero: ZeroCost,
    placed: Vec<Placed>,
}

impl Evaluator<'_, '_> {
    fn error(&mut self, diag: impl Into<Diagnostic>) {
        self.resolver.diags.push(diag.into());
    }

    fn eval_all(
        &mut self,
        module: ModuleId,
        anns: &[ast::Annotation],
        target: Target,
    ) -> Vec<Annotation> {
        self.eval_on(module, anns, target, None)
    }

    /// Evaluates the annotations of an item; `annotated` names it if it is a table.
    fn eval_on(
        &mut self,
        module: ModuleId,
        anns: &[ast::Annotation],
        target: Target,
        annotated: Option<&SmolStr>,
    ) -> Vec<Annotation> {
        anns.iter()
            .filter_map(|a| self.eval(module, a, target, annotated))
            .collect()
    }

    fn eval(
        &mut self,
        module: ModuleId,
        ann: &ast::Annotation,
        target: Target,
        annotated: Option<&SmolStr>,
    ) -> Option<Annotation> {
        let collected = self.resolver.collected;
        let item = self
            .resolver
            .resolve_path(module, &ann.path, Expect::Annotation)?;
        let shadows = ann.path.segments.len() == 1 && collected.shadows_builtin(module, item);
        let table = match item {
            ItemId::Record(id) if self.records[id].kind == RecordKind::Table => id,
            other => {
                self.error(AnnotationError::NotATable {
                    path: ann.path.to_string(),
                    span: ann.path.span,
                    what: collected.describe_item(other),
                    declared: collected.item_span(other),
                    record: match other {
                        ItemId::Record(_) => Some(collected.item_name(other).clone()),
                        _ => None,
                    },
                    shadows,
                });
                return None;
            }
        };
        if shadows {
            let name = &self.records[table].name;
            self.error(AnnotationError::ShadowedAnnotation {
                name: name.clone(),
                span: ann.path.span,
                declared: self.records[table].span,
            });
        }
        if !self.zero.fits(table) {
            let i = table.index();
            if !self.zero.cyclic[i] {
                self.error(AnnotationError::ValueTooLarge {
                    table: self.records[table].name.clone(),
                    span: ann.span,
                    size: self.zero.size[i],
                    depth: self.zero.depth[i],
                    max_size: MAX_VALUE_SIZE,
                    max_depth: MAX_VALUE_DEPTH,
                });
            }
            return None;
        }
        let args = ann.args.as_deref().unwrap_or(&[]);
        let errors = self.resolver.diags.len();
        let value = self.eval_args(module, table, args, ann.path.span);
        // A `@Usage` that allows nothing (written so, not left so by an
        // argument that was wrong, which is reported already).
        if table == self.builtins.usage
            && self.resolver.diags.len() == errors
            && value.enum_value("Target") == Some(0)
        {
            if let Some(annotated) = annotated {
                self.error(AnnotationError::UsageAllowsNothing {
                    table: annotated.clone(),
                    span: ann.span,
                });
            }
        }
        self.placed.push(Placed {
            table,
            target,
            span: ann.span,
        });
        Some(Annotation {
            table,
            value,
            span: ann.span,
        })
    }

    /// Builds a record value from arguments; fields not given take their zero value.
    fn eval_args(
        &mut self,
        module: ModuleId,
        record: RecordId,
        args: &[ast::Arg],
        name_span: Span,
    ) -> RecordValue {
        let r = &self.records[record];
        let fields = &r.fields;
        let name = r.name.clone();
        let mut values: Vec<Option<Value>> = vec![None; fields.len()];
        let mut given: Vec<Option<Span>> = vec![None; fields.len()];
        for (position, arg) in args.iter().enumerate() {
            let index = match &arg.name {
                Some(arg_name) => match fields.iter().position(|f| f.name == arg_name.name) {
                    Some(index) => index,
                    None => {
                        let names: Vec<SmolStr> = fields.iter().map(|f| f.name.clone()).collect();
                        let suggestion =
                            suggest::closest(&arg_name.name, names.iter().map(SmolStr::as_str))
                                .map(SmolStr::from);
                        self.error(AnnotationError::UnknownField {
                            table: name.clone(),
                            name: arg_name.name.clone(),
                            span: arg_name.span,
                            fields: names,
                            suggestion,
                        });
                        continue;
                    }
                },
                None => position,
            };
            if index >= fields.len() {
                self.error(AnnotationError::TooManyArguments {
                    table: name.clone(),
                    span: arg.span,
                    table_span: name_span,
                    fields: fields.len(),
                });
                break;
            }
            if let Some(first) = given[index] {
                self.error(AnnotationError::FieldGivenTwice {
                    field: fields[index].name.clone(),
                    span: arg.span,
                    first,
                });
                continue;
            }
            given[index] = Some(arg.span);
            let field = &fields[index];
            values[index] = self.eval_expr(module, &arg.value, &field.ty, &field.name);
        }
        RecordValue {
            record,
            fields: fields
                .iter()
                .zip(values)
                .map(|(f, v)| FieldValue {
                    name: f.name.clone(),
                    given: v.is_some(),
                    value: v.unwrap_or_else(|| self.zero_value(&f.ty)),
                })
                .collect(),
        }
    }

    /// The zero value of a type (spec §6). Recursion is only through
    /// records, whose depth [`ZeroCost`] bounds before any value is built.
    fn zero_value(&self, ty: &Type) -> Value {
        let dims: Vec<u32> = ty
            .walk()
            .map_while(|t| match t {
                Type::Array(n, _) => Some(*n),
                _ => None,
            })
            .collect();
        let mut value = match ty.under_arrays() {
            Type::Scalar(s) => match s.class() {
                gslang_syntax::ScalarClass::Bool => Value::Bool(false),
                gslang_syntax::ScalarClass::Int { .. } => Value::Int(0),
                gslang_syntax::ScalarClass::Float { .. } => Value::Float(0.0),
                gslang_syntax::ScalarClass::String => Value::String(String::new()),
            },
            // `under_arrays` never yields an array.
            Type::List(_) | Type::Array(..) => Value::List(Vec::new()),
            // A bit set's zero is no bits; another enum's, its first value.
            Type::Enum(e) if self.enums[*e].is_flag => Value::Enum(*e, 0),
            Type::Enum(e) => Value::Enum(*e, self.enums[*e].values.first().map_or(0, |v| v.value)),
            Type::Record(r) => Value::Record(RecordValue {
                record: *r,
                fields: self.records[*r]
                    .fields
                    .iter()
                    .map(|f| FieldValue {
                        name: f.name.clone(),
                        given: false,
                        value: self.zero_value(&f.ty),
                    })
                    .collect(),
            }),
        };
        for len in dims.into_iter().rev() {
            value = Value::Array {
                len,
                element: Box::new(value),
            };
        }
        value
    }

    fn eval_expr(
        &mut self,
        module: ModuleId,
        expr: &ast::Expr,
        ty: &Type,
        field: &SmolStr,
    ) -> Option<Value> {
        if expr.terms.len() > 1 {
            return match ty {
                Type::Enum(e) if self.enums[*e].is_flag => {
                    let mut bits = 0i64;
                    for term in &expr.terms {
                        bits |= self.eval_enum_const(module, term, *e, field)?;
                    }
                    Some(Value::Enum(*e, bits))
                }
                _ => {
                    let enum_decl = match ty {
                        Type::Enum(e) => Some((self.enums[*e].name.clone(), self.enums[*e].span)),
                        _ => None,
                    };
                    let expected = self.describe_type(ty);
                    self.error(AnnotationError::PipeOnNonFlag {
                        field: field.clone(),
                        span: expr.span,
                        expected,
                        enum_decl,
                    });
                    None
                }
            };
        }
        let term = expr.terms.first()?;
        let out_of_range = |ty: Scalar, span: Span, limit| AnnotationError::ValueOutOfRange {
            field: field.clone(),
            span,
            ty,
            limit,
        };
        match (term, ty) {
            (Term::Int(lit), Type::Scalar(s)) if s.is_integer() => {
                let range = s.int_range().unwrap_or((0, 0));
                match lit.value() {
                    Some(v) if (range.0..=range.1).contains(&v) => Some(Value::Int(v)),
                    _ => {
                        self.error(out_of_range(*s, lit.span, Limit::Range(range.0, range.1)));
                        None
                    }
                }
            }
            (Term::Int(lit), Type::Scalar(s)) if s.is_float() => match lit.value() {
                Some(v) => Some(Value::Float(v as f64)),
                None => {
                    self.error(out_of_range(*s, lit.span, Limit::Unreadable));
                    None
                }
            },
            (
                Term::Float {
                    negative,
                    text,
                    span,
                },
                Type::Scalar(s),
            ) if s.is_float() => {
                let v: f64 = text.parse().unwrap_or(f64::INFINITY);
                let v = if *negative { -v } else { v };
                let fits =
                    v.is_finite() && (*s == Scalar::Float64 || v.abs() <= f64::from(f32::MAX));
                if fits {
                    Some(Value::Float(v))
                } else {
                    self.error(out_of_range(*s, *span, Limit::Float));
                    None
                }
            }
            (Term::Str(lit), Type::Scalar(Scalar::String)) => {
                Some(Value::String(lit.value.clone()))
            }
            (Term::Bool(b, _), Type::Scalar(Scalar::Bool)) => Some(Value::Bool(*b)),
            (Term::Path(_), Type::Enum(e)) => {
                let v = self.eval_enum_const(module, term, *e, field)?;
                Some(Value::Enum(*e, v))
            }
            (Term::Table { path, args, .. }, Type::Record(r)) => {
                let found = self.resolver.resolve_path(module, path, Expect::Type)?;
                if found != ItemId::Record(*r) {
                    let found = self.resolver.collected.describe_item(found);
                    let want = &self.records[*r].name;
                    self.error(AnnotationError::MismatchedValue {
                        field: field.clone(),
                        span: path.span,
                        expected: format!("a `{want}` value"),
                        found,
                        help: None,
                    });
                    return None;
                }
                Some(Value::Record(self.eval_args(module, *r, args, path.span)))
            }
            (_, Type::List(_) | Type::Array(..)) => {
                self.error(AnnotationError::ListValue {
                    field: field.clone(),
                    span: term.span(),
                    is_list: matches!(ty, Type::List(_)),
                });
                None
            }
            _ => {
                let help = match (term, ty) {
                    (Term::Path(path), Type::Record(r))
                        if self.resolver.collected.lookup_path(module, path)
                            == Some(ItemId::Record(*r)) =>
                    {
                        Some(format!("write a value of it: `{path}(…)`"))
                    }
                    (Term::Table { path, .. }, Type::Enum(_)) => {
                        Some(format!("an enum constant has no arguments: `{path}`"))
                    }
                    _ => None,
                };
                let expected = self.describe_type(ty);
                self.error(AnnotationError::MismatchedValue {
                    field: field.clone(),
                    span: term.span(),
                    expected,
                    found: describe_term(term),
                    help,
                });
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
        field: &SmolStr,
    ) -> Option<i64> {
        let enum_name = self.enums[e].name.clone();
        let Term::Path(path) = term else {
            self.error(AnnotationError::MismatchedValue {
                field: field.clone(),
                span: term.span(),
                expected: format!("a value of enum `{enum_name}`"),
                found: describe_term(term),
                help: None,
            });
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
                let values: Vec<SmolStr> = self.enums[e]
                    .values
                    .iter()
                    .map(|v| v.name.clone())
                    .collect();
                let known = values.contains(name);
                let suggestion = if known {
                    None
                } else {
                    suggest::closest(name, values.iter().map(SmolStr::as_str)).map(SmolStr::from)
                };
                self.error(AnnotationError::UnqualifiedConstant {
                    name: name.clone(),
                    span: path.span,
                    field: field.clone(),
                    enum_name,
                    known,
                    suggestion,
                    values,
                });
                return None;
            }
        };
        let found = self
            .resolver
            .resolve_path(module, &enum_path, Expect::Type)?;
        let ItemId::Enum(found) = found else {
            let found = self.resolver.collected.describe_item(found);
            self.error(AnnotationError::MismatchedValue {
                field: field.clone(),
                span: enum_path.span,
                expected: format!("enum `{enum_name}`"),
                found,
                help: None,
            });
            return None;
        };
        if found != e {
            let found_enum = &self.enums[found];
            let shadows = enum_path.segments.len() == 1
                && self
                    .resolver
                    .collected
                    .shadows_builtin(module, ItemId::Enum(found));
            // Two enums of one name: say which is which.
            let expected = if found_enum.name == enum_name {
                let full = &self.resolver.collected.loaded[self.enums[e].module.index()].name;
                format!("{full}.{enum_name}")
            } else {
                enum_name.to_string()
            };
            self.error(AnnotationError::WrongEnum {
                field: field.clone(),
                span: path.span,
                expected,
                found: found_enum.name.to_string(),
                found_decl: found_enum.span,
                shadows,
            });
            return None;
        }
        match self.enums[e].values.iter().find(|v| v.name == value.name) {
            Some(v) => Some(v.value),
            None => {
                let values: Vec<SmolStr> = self.enums[e]
                    .values
                    .iter()
                    .map(|v| v.name.clone())
                    .collect();
                let suggestion = suggest::closest(&value.name, values.iter().map(SmolStr::as_str))
                    .map(SmolStr::from);
                self.error(AnnotationError::UnknownEnumValue {
                    enum_name,
                    value: value.name.clone(),
                    span: value.span,
                    suggestion,
                    values,
                });
                None
            }
        }
    }

    /// Checks each placed annotation against its table's `@Usage`;
    /// `records` holds each record's own annotations, by `RecordId`.
    fn check_usage(
        &mut self,
        placed: &[Placed],
        records: &[(Vec<Annotation>, Vec<Vec<Annotation>>)],
    ) {
        for p in placed {
            let table = &self.records[p.table];
            let Some(usage) = records[p.table.index()]
                .0
                .iter()
                .find(|a| a.table == self.builtins.usage)
            else {
                continue;
            };
            let bits = usage.value.enum_value("Target").unwrap_or(0);
            if bits & p.target.bit() != 0 {
                continue;
            }
            let allowed = Target::ALL
                .iter()
                .filter(|t| bits & t.bit() != 0)
                .map(|t| t.describe())
                .collect();
            let diag = AnnotationError::UsageViolation {
                table: table.name.clone(),
                span: p.span,
                target: p.target.describe(),
                usage: usage.span,
                allowed,
            };
            self.error(diag);
        }
    }

    fn describe_type(&self, ty: &Type) -> String {
        match ty {
            Type::Scalar(Scalar::Bool) => "`true` or `false`".to_owned(),
            Type::Scalar(Scalar::String) => "a string".to_owned(),
            Type::Scalar(s) if s.is_float() => format!("a number (`{s}`)"),
            Type::Scalar(s) => format!("an integer (`{s}`)"),
            Type::Enum(e) => format!("a value of enum `{}`", self.enums[*e].name),
            Type::Record(r) => {
                let name = &self.records[*r].name;
                format!("a `{name}` value, written `{name}(…)`")
            }
            Type::List(_) | Type::Array(..) => "a list".to_owned(),
        }
    }
}

/// Sets `is_async` on `@Async` methods and rejects those with return values.
fn check_async(
    collected: &Collected<'_>,
    builtins: &Builtins,
    contracts: &mut Arena<ContractId, Contract>,
    diags: &mut Vec<Diagnostic>,
) {
    for (id, contract) in contracts.iter_mut() {
        for (method, ast_method) in contract
            .methods
            .iter_mut()
            .zip(collected.contract_methods(id))
        {
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
                    crate::errors::CheckError::AsyncWithReturns {
                        method: method.name.clone(),
                        span: first.span.to(last.span),
                        annotation: ann.span,
                    }
                    .into(),
                );
            }
        }
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
