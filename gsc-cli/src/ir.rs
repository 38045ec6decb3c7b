//! The model as JSON: what `gsc ir` prints and what external plugins read.
//!
//! This is a mirror of [`gslang_sema::ir`] written for other languages, not
//! the `serde` derive of the model itself: the JSON is a public format,
//! versioned ([`VERSION`]) and described by `docs/ir.schema.json`, so it must
//! not change when the model's Rust types are refactored. Each type here is
//! one object of the schema, its fields in the order they are printed.
//!
//! Guarantees:
//! - deterministic: the same inputs give the same bytes (model order:
//!   modules each after the ones they import, declarations in source order);
//! - references are indices into the top-level arrays (`modules`, `records`,
//!   `enums`, `contracts`), with the full name beside them for readability:
//!   full names are not unique when two modules share a file stem;
//! - every annotation is `{"type": full name of its table, "table": index,
//!   "value": {field: value}, "span": …}`, every field of the table present;
//! - bounded: the flattened method lists, quadratic in the depth of an
//!   inheritance chain, are refused past [`MAX_METHOD_ENTRIES`].

use gslang_sema::Model;
use gslang_sema::ir::{
    self, ContractId, EnumId, Id, ItemId, ModuleId, RecordId, RecordKind, RecordValue, Type,
};
use gslang_syntax::{SourceMap, Span as SourceSpan};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// The version of the JSON format, the `version` key of the model and of a
/// plugin request. Keys may be added within a version; consumers ignore the
/// keys they do not know.
pub const VERSION: u32 = 1;

/// The most entries of flattened method lists `gsc ir` writes, over all
/// contracts (the bound `gs2rust` puts on its method tables).
pub const MAX_METHOD_ENTRIES: usize = gs2rust::MAX_METHOD_TABLE_ENTRIES;

/// The whole model.
#[derive(Serialize, Debug)]
pub struct Ir<'m> {
    version: u32,
    roots: Vec<usize>,
    modules: Vec<Module<'m>>,
    records: Vec<Record<'m>>,
    enums: Vec<Enum<'m>>,
    contracts: Vec<Contract<'m>>,
}

#[derive(Serialize, Debug)]
struct Module<'m> {
    name: &'m str,
    file: &'m str,
    builtin: bool,
    root: bool,
    docs: &'m [String],
    imports: Vec<Import<'m>>,
    annotations: Vec<Annotation<'m>>,
    items: Vec<ItemRef>,
}

#[derive(Serialize, Debug)]
struct Import<'m> {
    name: &'m str,
    module: usize,
}

#[derive(Serialize, Debug)]
struct ItemRef {
    kind: &'static str,
    full_name: String,
    index: usize,
}

#[derive(Serialize, Debug)]
struct Ref {
    full_name: String,
    index: usize,
}

#[derive(Serialize, Debug)]
struct Record<'m> {
    full_name: String,
    name: &'m str,
    module: usize,
    kind: &'static str,
    fields: Vec<Field<'m>>,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

#[derive(Serialize, Debug)]
struct Field<'m> {
    name: &'m str,
    #[serde(rename = "type")]
    ty: TypeJson,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

#[derive(Serialize, Debug)]
struct Enum<'m> {
    full_name: String,
    name: &'m str,
    module: usize,
    base: &'static str,
    flag: bool,
    error: bool,
    error_domain: Option<String>,
    values: Vec<EnumValue<'m>>,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

#[derive(Serialize, Debug)]
struct EnumValue<'m> {
    name: &'m str,
    number: i64,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

#[derive(Serialize, Debug)]
struct Contract<'m> {
    full_name: String,
    name: &'m str,
    module: usize,
    bases: Vec<Ref>,
    methods: Vec<Method<'m>>,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

#[derive(Serialize, Debug)]
struct Method<'m> {
    id: u16,
    name: &'m str,
    declared_in: Ref,
    params: Vec<Param<'m>>,
    returns: Vec<Param<'m>>,
    #[serde(rename = "async")]
    is_async: bool,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

#[derive(Serialize, Debug)]
struct Param<'m> {
    name: Option<&'m str>,
    #[serde(rename = "type")]
    ty: TypeJson,
    docs: &'m [String],
    annotations: Vec<Annotation<'m>>,
    span: Span<'m>,
}

/// A type, tagged by `kind`.
#[derive(Serialize, Debug)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum TypeJson {
    Scalar { name: &'static str },
    List { element: Box<TypeJson> },
    Array { len: u32, element: Box<TypeJson> },
    Record { full_name: String, index: usize },
    Enum { full_name: String, index: usize },
}

#[derive(Serialize, Debug)]
struct Annotation<'m> {
    #[serde(rename = "type")]
    ty: String,
    table: usize,
    value: RecordJson<'m>,
    span: Span<'m>,
}

/// A record value: an object of its fields, in the record's order.
#[derive(Debug)]
struct RecordJson<'m>(Vec<(&'m str, ValueJson<'m>)>);

impl Serialize for RecordJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// A value of an annotation, in the JSON its field's type reads naturally
/// as: the type, in the table's record, tells which form it is.
#[derive(Serialize, Debug)]
#[serde(untagged)]
enum ValueJson<'m> {
    Bool(bool),
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    String(&'m str),
    Enum {
        #[serde(rename = "enum")]
        full_name: String,
        index: usize,
        number: i64,
        name: Option<&'m str>,
    },
    Record(RecordJson<'m>),
    List(Vec<ValueJson<'m>>),
    /// Annotations cannot write arrays: an array is always the zero value,
    /// `len` copies of `element`, which is written once (an array of 65,535
    /// arrays of 65,535 elements would otherwise be billions of values).
    Array {
        len: u32,
        element: Box<ValueJson<'m>>,
    },
}

#[derive(Serialize, Debug)]
struct Span<'m> {
    file: &'m str,
    line: usize,
    column: usize,
}

/// The model is too large to write out: its flattened method lists would
/// have over [`MAX_METHOD_ENTRIES`] entries in all.
#[derive(Debug)]
pub struct TooLarge {
    /// The contract with the longest list counted, as `module.Name`.
    pub contract: String,
    /// The length of its list.
    pub len: usize,
}

/// Builds the JSON mirror of `model`, whose files are in `sources`.
pub fn build<'m>(model: &'m Model, sources: &'m SourceMap) -> Result<Ir<'m>, TooLarge> {
    check_size(model)?;
    let cx = Cx::new(model, sources);
    Ok(cx.ir())
}

fn check_size(model: &Model) -> Result<(), TooLarge> {
    let mut total = 0usize;
    let mut longest = (0usize, None);
    for (id, _) in model.contracts().iter() {
        let len: usize = model
            .linearization(id)
            .iter()
            .map(|&c| model.contract(c).methods.len())
            .sum();
        total += len;
        if len > longest.0 {
            longest = (len, Some(id));
        }
        if total > MAX_METHOD_ENTRIES {
            let contract = longest
                .1
                .map(|c| model.full_name(ItemId::Contract(c)))
                .unwrap_or_default();
            return Err(TooLarge {
                contract,
                len: longest.0,
            });
        }
    }
    Ok(())
}

/// Positions in the JSON arrays, which list declarations by module and
/// then in source order (the arenas' order is an implementation detail).
struct Cx<'m> {
    model: &'m Model,
    sources: &'m SourceMap,
    module_order: Vec<ModuleId>,
    module_index: Vec<usize>,
    record_order: Vec<RecordId>,
    record_index: Vec<usize>,
    enum_order: Vec<EnumId>,
    enum_index: Vec<usize>,
    contract_order: Vec<ContractId>,
    contract_index: Vec<usize>,
}

fn positions<I: Id>(order: &[I], len: usize) -> Vec<usize> {
    let mut index = vec![usize::MAX; len];
    for (at, id) in order.iter().enumerate() {
        index[id.index()] = at;
    }
    index
}

impl<'m> Cx<'m> {
    fn new(model: &'m Model, sources: &'m SourceMap) -> Cx<'m> {
        let module_order: Vec<ModuleId> = model.modules().ids().collect();
        let (mut record_order, mut enum_order, mut contract_order) =
            (Vec::new(), Vec::new(), Vec::new());
        for &m in &module_order {
            for item in &model.module(m).items {
                match *item {
                    ItemId::Record(id) => record_order.push(id),
                    ItemId::Enum(id) => enum_order.push(id),
                    ItemId::Contract(id) => contract_order.push(id),
                }
            }
        }
        Cx {
            model,
            sources,
            module_index: positions(&module_order, model.modules().len()),
            record_index: positions(&record_order, model.records().len()),
            enum_index: positions(&enum_order, model.enums().len()),
            contract_index: positions(&contract_order, model.contracts().len()),
            module_order,
            record_order,
            enum_order,
            contract_order,
        }
    }

    fn ir(&self) -> Ir<'m> {
        let model = self.model;
        Ir {
            version: VERSION,
            roots: model
                .roots()
                .iter()
                .map(|m| self.module_index[m.index()])
                .collect(),
            modules: self.module_order.iter().map(|&m| self.module(m)).collect(),
            records: self.record_order.iter().map(|&r| self.record(r)).collect(),
            enums: self.enum_order.iter().map(|&e| self.enum_(e)).collect(),
            contracts: self
                .contract_order
                .iter()
                .map(|&c| self.contract(c))
                .collect(),
        }
    }

    fn span(&self, span: SourceSpan) -> Span<'m> {
        let file = self.sources.file(span.file);
        let (line, column) = file.line_col(span.start);
        Span {
            file: &file.name,
            line,
            column,
        }
    }

    fn module(&self, id: ModuleId) -> Module<'m> {
        let model = self.model;
        let m = model.module(id);
        Module {
            name: &m.name,
            file: &m.display_path,
            builtin: m.is_builtin,
            root: model.roots().contains(&id),
            docs: &m.docs,
            imports: m
                .imports
                .iter()
                .map(|i| Import {
                    name: &i.name,
                    module: self.module_index[i.module.index()],
                })
                .collect(),
            annotations: self.annotations(&m.annotations),
            items: m
                .items
                .iter()
                .map(|&item| {
                    let (kind, index) = match item {
                        ItemId::Record(id) => ("record", self.record_index[id.index()]),
                        ItemId::Enum(id) => ("enum", self.enum_index[id.index()]),
                        ItemId::Contract(id) => ("contract", self.contract_index[id.index()]),
                    };
                    ItemRef {
                        kind,
                        full_name: model.full_name(item),
                        index,
                    }
                })
                .collect(),
        }
    }

    fn record(&self, id: RecordId) -> Record<'m> {
        let r = self.model.record(id);
        Record {
            full_name: self.model.full_name(ItemId::Record(id)),
            name: &r.name,
            module: self.module_index[r.module.index()],
            kind: match r.kind {
                RecordKind::Table => "table",
                RecordKind::Struct => "struct",
            },
            fields: r
                .fields
                .iter()
                .map(|f| Field {
                    name: &f.name,
                    ty: self.ty(&f.ty),
                    docs: &f.docs,
                    annotations: self.annotations(&f.annotations),
                    span: self.span(f.span),
                })
                .collect(),
            docs: &r.docs,
            annotations: self.annotations(&r.annotations),
            span: self.span(r.span),
        }
    }

    fn enum_(&self, id: EnumId) -> Enum<'m> {
        let model = self.model;
        let e = model.enum_(id);
        let error_domain = e.is_error.then(|| {
            // `gslang.Fault` is sent with an empty domain (wire.md §3).
            if id == model.builtins().fault {
                String::new()
            } else {
                model
                    .error_domain(id)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            }
        });
        Enum {
            full_name: model.full_name(ItemId::Enum(id)),
            name: &e.name,
            module: self.module_index[e.module.index()],
            base: e.base.keyword(),
            flag: e.is_flag,
            error: e.is_error,
            error_domain,
            values: e
                .values
                .iter()
                .map(|v| EnumValue {
                    name: &v.name,
                    number: v.value,
                    docs: &v.docs,
                    annotations: self.annotations(&v.annotations),
                    span: self.span(v.span),
                })
                .collect(),
            docs: &e.docs,
            annotations: self.annotations(&e.annotations),
            span: self.span(e.span),
        }
    }

    fn contract_ref(&self, id: ContractId) -> Ref {
        Ref {
            full_name: self.model.full_name(ItemId::Contract(id)),
            index: self.contract_index[id.index()],
        }
    }

    fn contract(&self, id: ContractId) -> Contract<'m> {
        let model = self.model;
        let c = model.contract(id);
        Contract {
            full_name: model.full_name(ItemId::Contract(id)),
            name: &c.name,
            module: self.module_index[c.module.index()],
            bases: c.bases.iter().map(|&b| self.contract_ref(b)).collect(),
            methods: model
                .methods(id)
                .into_iter()
                .map(|m| {
                    let method = model.method(m);
                    Method {
                        id: m.id,
                        name: &method.name,
                        declared_in: self.contract_ref(m.contract),
                        params: self.params(&method.params),
                        returns: self.params(&method.returns),
                        is_async: method.is_async,
                        docs: &method.docs,
                        annotations: self.annotations(&method.annotations),
                        span: self.span(method.span),
                    }
                })
                .collect(),
            docs: &c.docs,
            annotations: self.annotations(&c.annotations),
            span: self.span(c.span),
        }
    }

    fn params(&self, params: &'m [ir::Param]) -> Vec<Param<'m>> {
        params
            .iter()
            .map(|p| Param {
                name: p.name.as_deref(),
                ty: self.ty(&p.ty),
                docs: &p.docs,
                annotations: self.annotations(&p.annotations),
                span: self.span(p.span),
            })
            .collect()
    }

    fn ty(&self, ty: &Type) -> TypeJson {
        match ty {
            Type::Scalar(s) => TypeJson::Scalar { name: s.keyword() },
            Type::List(inner) => TypeJson::List {
                element: Box::new(self.ty(inner)),
            },
            Type::Array(len, inner) => TypeJson::Array {
                len: *len,
                element: Box::new(self.ty(inner)),
            },
            Type::Record(id) => TypeJson::Record {
                full_name: self.model.full_name(ItemId::Record(*id)),
                index: self.record_index[id.index()],
            },
            Type::Enum(id) => TypeJson::Enum {
                full_name: self.model.full_name(ItemId::Enum(*id)),
                index: self.enum_index[id.index()],
            },
        }
    }

    fn annotations(&self, annotations: &'m [ir::Annotation]) -> Vec<Annotation<'m>> {
        annotations
            .iter()
            .map(|a| Annotation {
                ty: self.model.full_name(ItemId::Record(a.table)),
                table: self.record_index[a.table.index()],
                value: self.record_value(&a.value),
                span: self.span(a.span),
            })
            .collect()
    }

    fn record_value(&self, value: &'m RecordValue) -> RecordJson<'m> {
        RecordJson(
            value
                .fields
                .iter()
                .map(|f| (f.name.as_str(), self.value(&f.value)))
                .collect(),
        )
    }

    fn value(&self, value: &'m ir::Value) -> ValueJson<'m> {
        match value {
            ir::Value::Bool(b) => ValueJson::Bool(*b),
            // Fields are at most 64 bits wide, so one of the two holds the value.
            ir::Value::Int(i) => match i64::try_from(*i) {
                Ok(i) => ValueJson::Signed(i),
                Err(_) => ValueJson::Unsigned(u64::try_from(*i).unwrap_or(u64::MAX)),
            },
            ir::Value::Float(f) => ValueJson::Float(*f),
            ir::Value::String(s) => ValueJson::String(s),
            ir::Value::Enum(id, number) => {
                let e = self.model.enum_(*id);
                ValueJson::Enum {
                    full_name: self.model.full_name(ItemId::Enum(*id)),
                    index: self.enum_index[id.index()],
                    number: *number,
                    name: e.value_of(*number).map(|v| v.name.as_str()),
                }
            }
            ir::Value::Record(r) => ValueJson::Record(self.record_value(r)),
            ir::Value::List(items) => {
                ValueJson::List(items.iter().map(|v| self.value(v)).collect())
            }
            ir::Value::Array { len, element } => ValueJson::Array {
                len: *len,
                element: Box::new(self.value(element)),
            },
        }
    }
}
