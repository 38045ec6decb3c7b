//! The naming pass: every Rust name the generator writes, decided once for
//! the whole model before anything is emitted, with every clash reported
//! (E0600) where two gslang names become one Rust name in one scope.
//!
//! Spec §8: types, enum values and contracts are `UpperCamelCase`; fields,
//! methods, params and modules `snake_case`; Rust keywords become raw
//! identifiers, or get a trailing `_` where they cannot be raw. This is the
//! only place that escapes identifiers; emitters and plugins read names from
//! [`Names`] and never make their own. Plugins that add items to a module
//! reserve their names here first ([`Reservations`]), so that their clashes
//! are reported like the schema's.

use gslang_sema::ir::{ContractId, EnumId, ItemId, Model, ModuleId, RecordId};
use gslang_syntax::{Diagnostic, Span};
use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::errors::GenError;

/// Rust's keywords, strict and reserved (2024 edition), which need `r#`.
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing `_`.
pub(crate) const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn escape(name: String) -> String {
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A type, enum value or contract: `UpperCamelCase` (`CER` → `Cer`).
pub fn type_name(name: &str) -> String {
    escape(name.to_upper_camel_case())
}

/// A field, method or param: `snake_case` (`OSVersion` → `os_version`).
pub fn field_name(name: &str) -> String {
    escape(name.to_snake_case())
}

/// A constant (a flag of a `@Flag` enum): `SHOUTY_SNAKE_CASE`.
pub fn const_name(name: &str) -> String {
    escape(name.to_shouty_snake_case())
}

/// A module: `snake_case`; keywords get a trailing `_` instead of `r#`, so
/// that the name is also a plain file name.
pub fn module_name(name: &str) -> String {
    let snake = name.to_snake_case();
    let escaped = escape(snake);
    match escaped.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => escaped,
    }
}

/// The methods every generated client has besides the contract's.
pub const CLIENT_METHODS: [&str; 1] = ["with_timeout"];

/// The Rust names of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordNames {
    /// The struct.
    pub ty: String,
    /// Its fields, in order.
    pub fields: Vec<String>,
}

/// The Rust names of an enum.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnumNames {
    /// The enum, or the newtype of a `@Flag` enum.
    pub ty: String,
    /// Its values, in order: variants (`ReadOnly`), or for a `@Flag` enum
    /// associated constants (`READ_ONLY`).
    pub values: Vec<String>,
}

/// The Rust names of a contract: the items generated for it, each in its
/// module's type namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContractNames {
    /// The enum of its methods by id (`EchoMethod`).
    pub methods_enum: String,
    /// The service trait servers implement (`Echo`).
    pub service: String,
    /// The dispatcher that serves an implementation of the trait (`EchoServer`).
    pub server: String,
    /// The typed client (`EchoClient`).
    pub client: String,
    /// The pusher through which servers call the contract on clients of a
    /// gate (`EchoPusher`).
    pub pusher: String,
}

/// The Rust names of a method (as declared; the same in every contract that
/// inherits it).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MethodNames {
    /// Its variant in the methods enum (`SayHello`).
    pub variant: String,
    /// Its function in the service trait and the client (`say_hello`).
    pub function: String,
    /// Its params, in order (unnamed ones `arg0`, `arg1`, … by position).
    pub params: Vec<String>,
    /// Its return values, in order (unnamed ones `ret0`, `ret1`, …).
    pub returns: Vec<String>,
}

/// Every Rust name of a model, decided by [`decide`].
#[derive(Clone, Debug, Default)]
pub struct Names {
    modules: Vec<String>,
    records: Vec<RecordNames>,
    enums: Vec<EnumNames>,
    contracts: Vec<ContractNames>,
    methods: Vec<Vec<MethodNames>>,
    reserved: Vec<Vec<String>>,
}

impl Names {
    /// The Rust module of a gslang module.
    pub fn module(&self, id: ModuleId) -> &str {
        &self.modules[id.index()]
    }

    /// The names of a record.
    pub fn record(&self, id: RecordId) -> &RecordNames {
        &self.records[id.index()]
    }

    /// The names of an enum.
    pub fn enum_(&self, id: EnumId) -> &EnumNames {
        &self.enums[id.index()]
    }

    /// The names of a contract's items.
    pub fn contract(&self, id: ContractId) -> &ContractNames {
        &self.contracts[id.index()]
    }

    /// The names of method `index` of a contract's own methods.
    pub fn method(&self, contract: ContractId, index: usize) -> &MethodNames {
        &self.methods[contract.index()][index]
    }

    /// The names plugins reserved in a module.
    pub fn reserved(&self, module: ModuleId) -> &[String] {
        &self.reserved[module.index()]
    }

    /// The Rust name of a declaration's type (a contract: its service trait).
    pub fn item(&self, item: ItemId) -> &str {
        match item {
            ItemId::Record(id) => &self.record(id).ty,
            ItemId::Enum(id) => &self.enum_(id).ty,
            ItemId::Contract(id) => &self.contract(id).service,
        }
    }

    /// The path to a declaration's type as written in module `from`:
    /// `Name` in its own module, `super::module::Name` from a sibling, and
    /// `::gscluster::gslang::Name` for the built-in module, which the
    /// runtime holds.
    pub fn item_path(&self, model: &Model, item: ItemId, from: ModuleId) -> String {
        let module = model.item_module(item);
        let name = self.item(item);
        if module == from {
            name.to_owned()
        } else if module == model.builtins().module {
            format!("::gscluster::gslang::{name}")
        } else {
            format!("super::{}::{name}", self.module(module))
        }
    }
}

/// The names plugins add to modules, claimed before any schema name is, so
/// that a schema item that would take one is reported as a clash.
#[derive(Debug, Default)]
pub struct Reservations {
    names: Vec<(ModuleId, String, String, Span)>,
}

impl Reservations {
    /// Reserves the item name `rust` in `module`'s type namespace for
    /// `owner`, a short phrase a clash quotes (`Validate (plugin range)`),
    /// blaming `span` (the schema item the name is generated for).
    pub fn reserve(
        &mut self,
        module: ModuleId,
        rust: impl Into<String>,
        owner: impl Into<String>,
        span: Span,
    ) {
        self.names.push((module, rust.into(), owner.into(), span));
    }
}

/// The Rust names given in one scope, to find two gslang names that become one.
struct Scope {
    what: &'static str,
    taken: FxHashMap<String, (String, Span)>,
}

impl Scope {
    fn new(what: &'static str) -> Scope {
        Scope {
            what,
            taken: FxHashMap::default(),
        }
    }

    /// Records that `original` (at `span`) becomes `rust` here; reports a clash.
    fn claim(&mut self, rust: &str, original: &str, span: Span, clashes: &mut Clashes) {
        let key = rust.strip_prefix("r#").unwrap_or(rust);
        match self.taken.get(key) {
            Some((first, first_span)) => clashes.report(GenError::NameClash {
                what: self.what,
                rust: rust.to_owned(),
                original: original.to_owned(),
                span,
                first: first.clone(),
                first_span: *first_span,
            }),
            None => {
                self.taken
                    .insert(key.to_owned(), (original.to_owned(), span));
            }
        }
    }
}

/// Clashes found so far, each reported once (an inherited pair of methods
/// would otherwise be reported in every contract that inherits both).
#[derive(Default)]
struct Clashes {
    seen: FxHashSet<(Span, Span)>,
    diags: Vec<Diagnostic>,
}

impl Clashes {
    fn report(&mut self, clash: GenError) {
        if let GenError::NameClash {
            span, first_span, ..
        } = &clash
        {
            if !self.seen.insert((*span, *first_span)) {
                return;
            }
        }
        self.diags.push(clash.into());
    }
}

/// Decides every Rust name of `model` (the reservations of plugins
/// included), or reports every clash.
pub fn decide(model: &Model, reservations: Reservations) -> Result<Names, Vec<Diagnostic>> {
    let mut clashes = Clashes::default();
    let modules = module_names(model);
    let mut module_scope = Scope::new("module");
    for (id, module) in model.modules().iter() {
        if !module.is_builtin {
            let span = Span::new(module.file, 0, 0);
            module_scope.claim(&modules[id.index()], &module.name, span, &mut clashes);
        }
    }

    let records: Vec<RecordNames> = model
        .records()
        .values()
        .map(|r| {
            let fields: Vec<String> = r.fields.iter().map(|f| field_name(&f.name)).collect();
            let mut scope = Scope::new("field");
            for (f, rust) in r.fields.iter().zip(&fields) {
                scope.claim(rust, &f.name, f.span, &mut clashes);
            }
            RecordNames {
                ty: type_name(&r.name),
                fields,
            }
        })
        .collect();
    let enums: Vec<EnumNames> = model
        .enums()
        .values()
        .map(|e| {
            let (values, what): (Vec<String>, _) = if e.is_flag {
                let consts = e.values.iter().map(|v| const_name(&v.name)).collect();
                (consts, "flag constant")
            } else {
                let variants = e.values.iter().map(|v| type_name(&v.name)).collect();
                (variants, "enum variant")
            };
            let mut scope = Scope::new(what);
            for (v, rust) in e.values.iter().zip(&values) {
                scope.claim(rust, &v.name, v.span, &mut clashes);
            }
            EnumNames {
                ty: type_name(&e.name),
                values,
            }
        })
        .collect();
    let methods: Vec<Vec<MethodNames>> = model
        .contracts()
        .values()
        .map(|c| {
            c.methods
                .iter()
                .map(|m| method_names(m, &mut clashes))
                .collect()
        })
        .collect();
    let contracts: Vec<ContractNames> = model
        .contracts()
        .values()
        .map(|c| {
            let service = type_name(&c.name);
            ContractNames {
                methods_enum: format!("{service}Method"),
                server: format!("{service}Server"),
                client: format!("{service}Client"),
                pusher: format!("{service}Pusher"),
                service,
            }
        })
        .collect();

    // The flattened method list of each contract is one scope of variants
    // (its methods enum) and one of functions (its trait and client).
    for (id, contract) in model.contracts().iter() {
        let mut variants = Scope::new("method");
        let mut functions = Scope::new("method function");
        // The client's own methods.
        for own in CLIENT_METHODS {
            let original = format!("{}Client::{own}", contract.name);
            functions.claim(own, &original, contract.span, &mut clashes);
        }
        for m in model.methods(id) {
            let method = model.method(m);
            let names = &methods[m.contract.index()][m.index];
            variants.claim(&names.variant, &method.name, method.span, &mut clashes);
            functions.claim(&names.function, &method.name, method.span, &mut clashes);
        }
    }

    // Each module's type namespace: plugins' reservations first, then the
    // schema's items and the items generated for contracts.
    let mut reserved: Vec<Vec<String>> = vec![Vec::new(); model.modules().len()];
    let mut type_scopes: Vec<Scope> = (0..model.modules().len())
        .map(|_| Scope::new("type"))
        .collect();
    for (module, rust, owner, span) in reservations.names {
        type_scopes[module.index()].claim(&rust, &owner, span, &mut clashes);
        reserved[module.index()].push(rust);
    }
    for (id, module) in model.modules().iter() {
        let scope = &mut type_scopes[id.index()];
        for &item in &module.items {
            match item {
                ItemId::Record(r) => {
                    let record = model.record(r);
                    scope.claim(
                        &records[r.index()].ty,
                        &record.name,
                        record.span,
                        &mut clashes,
                    );
                }
                ItemId::Enum(e) => {
                    let e_ = model.enum_(e);
                    scope.claim(&enums[e.index()].ty, &e_.name, e_.span, &mut clashes);
                }
                ItemId::Contract(c) => {
                    let contract = model.contract(c);
                    let names = &contracts[c.index()];
                    let generated = [
                        (&names.service, "service trait"),
                        (&names.methods_enum, "method list"),
                        (&names.server, "server"),
                        (&names.client, "client"),
                        (&names.pusher, "pusher"),
                    ];
                    for (rust, role) in generated {
                        let original = format!("{}'s {role}", contract.name);
                        scope.claim(rust, &original, contract.span, &mut clashes);
                    }
                }
            }
        }
    }

    if clashes.diags.is_empty() {
        Ok(Names {
            modules,
            records,
            enums,
            contracts,
            methods,
            reserved,
        })
    } else {
        let mut diags = clashes.diags;
        diags.sort_by_key(|d| (d.primary.span.file, d.primary.span.start));
        Err(diags)
    }
}

fn method_names(m: &gslang_sema::ir::Method, clashes: &mut Clashes) -> MethodNames {
    // Params and returns are separate scopes: params are the trait method's
    // params, returns only name the elements of its returned tuple.
    let name_all = |list: &[gslang_sema::ir::Param],
                    prefix: &str,
                    what: &'static str,
                    clashes: &mut Clashes|
     -> Vec<String> {
        let mut scope = Scope::new(what);
        if what == "param" {
            // The service trait's methods take the call's context first.
            scope.claim("cx", "the call context param", m.span, clashes);
        }
        list.iter()
            .enumerate()
            .map(|(i, p)| {
                let (rust, original) = match &p.name {
                    Some(name) => (field_name(name), name.to_string()),
                    None => (format!("{prefix}{i}"), format!("unnamed {what} {i}")),
                };
                scope.claim(&rust, &original, p.span, clashes);
                rust
            })
            .collect()
    };
    let params = name_all(&m.params, "arg", "param", clashes);
    let returns = name_all(&m.returns, "ret", "return value", clashes);
    MethodNames {
        variant: type_name(&m.name),
        function: field_name(&m.name),
        params,
        returns,
    }
}

/// The Rust module name of every gslang module: the module's name in
/// snake_case. Modules that share a name (files with one stem in different
/// directories, imported under aliases) are told apart by as many of their
/// parent directories as it takes: `x/common.gs` and `y/common.gs` become
/// `x_common` and `y_common`.
fn module_names(model: &Model) -> Vec<String> {
    let modules: Vec<_> = model.modules().values().collect();
    let mut names: Vec<String> = modules.iter().map(|m| module_name(&m.name)).collect();
    let mut groups: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (index, module) in modules.iter().enumerate() {
        groups.entry(module.name.as_str()).or_default().push(index);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    for group in groups {
        // Parent directories, nearest first.
        let dirs: Vec<Vec<String>> = group
            .iter()
            .map(|&i| {
                modules[i]
                    .path
                    .as_deref()
                    .and_then(std::path::Path::parent)
                    .map(|dir| {
                        dir.components()
                            .rev()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let deepest = dirs.iter().map(Vec::len).max().unwrap_or(0);
        let distinct = (1..=deepest).find_map(|depth| {
            let candidates: Vec<String> = group
                .iter()
                .zip(&dirs)
                .map(|(&i, dirs)| {
                    let mut parts: Vec<&str> =
                        dirs.iter().take(depth).map(String::as_str).collect();
                    parts.reverse();
                    parts.push(&modules[i].name);
                    module_name(&parts.join("_"))
                })
                .collect();
            let mut sorted = candidates.clone();
            sorted.sort_unstable();
            sorted.dedup();
            (sorted.len() == candidates.len()).then_some(candidates)
        });
        // Without paths to tell them apart (not for files), the clash is
        // reported as two modules with one Rust name.
        if let Some(candidates) = distinct {
            for (&i, name) in group.iter().zip(candidates) {
                names[i] = name;
            }
        }
    }
    names
}

/// How a crate must name a module called `name`, such as a directory of
/// generated code (`mod proto;` for `src/proto`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleIdent {
    /// An identifier: `mod proto;`.
    Plain,
    /// A keyword of some edition (`gen` is reserved since 2024): `mod r#gen;`.
    Raw(String),
    /// `self`, `Self`, `super`, `crate` or `_`, which cannot be raw
    /// identifiers: the module needs another name.
    Reserved,
    /// Not an identifier at all (`my-proto`, `2d`): the module needs
    /// another name, or a `#[path]` attribute.
    NotAnIdent,
}

/// Whether `name` can name a module as it is, and if not, why.
pub fn module_ident(name: &str) -> ModuleIdent {
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic());
    if !starts_well || !chars.all(|c| c == '_' || c.is_alphanumeric()) {
        ModuleIdent::NotAnIdent
    } else if NOT_RAW.contains(&name) {
        ModuleIdent::Reserved
    } else if KEYWORDS.contains(&name) {
        ModuleIdent::Raw(format!("r#{name}"))
    } else {
        ModuleIdent::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(type_name("CER"), "Cer");
        assert_eq!(type_name("DHExchange"), "DhExchange");
        assert_eq!(type_name("OSType"), "OsType");
        assert_eq!(type_name("WhoAmI"), "WhoAmI");
        assert_eq!(field_name("ID"), "id");
        assert_eq!(field_name("OSVersion"), "os_version");
        assert_eq!(field_name("SayHello"), "say_hello");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(module_name("every-construct"), "every_construct");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(const_name("ReadWrite"), "READ_WRITE");
        assert_eq!(field_name("_"), "__");
    }

    #[test]
    fn module_idents() {
        assert_eq!(module_ident("proto"), ModuleIdent::Plain);
        assert_eq!(module_ident("_gen2"), ModuleIdent::Plain);
        assert_eq!(module_ident("gen"), ModuleIdent::Raw("r#gen".into()));
        assert_eq!(module_ident("async"), ModuleIdent::Raw("r#async".into()));
        assert_eq!(module_ident("self"), ModuleIdent::Reserved);
        assert_eq!(module_ident("crate"), ModuleIdent::Reserved);
        assert_eq!(module_ident("_"), ModuleIdent::Reserved);
        assert_eq!(module_ident("my-proto"), ModuleIdent::NotAnIdent);
        assert_eq!(module_ident("2d"), ModuleIdent::NotAnIdent);
        assert_eq!(module_ident(""), ModuleIdent::NotAnIdent);
    }
}
