//! The schema a gate serves, loaded at start-up (`--schema FILE`): the
//! routes of the contracts it exposes (`@gate.Expose`), their route
//! dictionary, and a validator that checks a request's data against the
//! method's params by interpreting the checked model, so that a gate needs
//! no code generated for the schema.
//!
//! Loading checks what the language does not: every method of an exposed
//! contract takes a `gate.Session` first (error E0604, the check `gsc
//! compile` and gs2rust's `Builder` make too, rendered with the schema's
//! spans like the compiler's diagnostics).
//!
//! Validation costs time linear in the data and a bounded amount of work
//! for values that encode to nothing: recursion through records is limited
//! in depth ([`MAX_DEPTH`]) and every value visited draws on a budget.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gslang_sema::Model;
use gslang_sema::ir::{ItemId, Type};
use gslang_sema::{Loader, Options};
use gslang_syntax::{Diagnostic, ScalarClass, SourceMap};

use crate::GATE_GS;

/// The deepest nesting of records validation follows.
pub const MAX_DEPTH: u32 = 100;

/// The most values one validation visits (values of empty records encode
/// to nothing, so the input's length does not bound them).
pub const MAX_VISITS: u64 = 1 << 20;

/// The directory `gate.gs` is served from when a schema imports it and it
/// is not beside the schema: the last include directory.
const EMBEDDED_DIR: &str = "<gsgate>";

/// An exposed method: what a route leads to.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// `module.Contract.Method`.
    pub route: String,
    /// Its number in the dictionary.
    pub code: u16,
    /// The contract's full name (the CER type backends announce).
    pub contract: &'static str,
    /// The method's id in the contract.
    pub method: u16,
    /// The types of its params after the session.
    pub params: Vec<Type>,
    /// Whether the method is `@Async`.
    pub is_async: bool,
    /// `@gate.Expose(Sticky: true)`.
    pub sticky: bool,
    /// The param marked `@gate.Key`, as an index into `params`.
    pub key: Option<usize>,
    /// The names of the params after the session, in the JSON of HTTP
    /// calls ([`json::param_names`](crate::json::param_names)).
    pub param_names: Vec<String>,
    /// The types of its returns.
    pub returns: Vec<Type>,
    /// The object name of its returns (one record or enum), or empty.
    pub returns_object: String,
}

/// A loaded schema.
#[derive(Debug)]
pub struct Schema {
    model: Model,
    routes: Vec<Arc<RouteInfo>>,
    by_name: HashMap<String, usize>,
    /// The object name of the params of every method of every contract
    /// (pushes name the routes of contracts clients implement).
    objects: HashMap<String, String>,
    /// `@Error` enums by domain id.
    errors: HashMap<[u8; 16], gslang_sema::ir::EnumId>,
}

/// Why a schema could not be loaded: its rendered diagnostics.
#[derive(Debug)]
pub struct SchemaError(pub String);

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SchemaError {}

/// Reads files from disk, and `gate.gs` from the gate itself when it is
/// not found on disk first.
struct GateLoader;

impl Loader for GateLoader {
    fn canonicalize(&mut self, path: &Path) -> std::io::Result<PathBuf> {
        if path.starts_with(EMBEDDED_DIR) {
            return if path == Path::new(EMBEDDED_DIR).join("gate.gs") {
                Ok(path.to_owned())
            } else {
                Err(std::io::ErrorKind::NotFound.into())
            };
        }
        std::fs::canonicalize(path)
    }

    fn read(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path.starts_with(EMBEDDED_DIR) {
            return Ok(GATE_GS.as_bytes().to_vec());
        }
        std::fs::read(path)
    }
}

fn render(sources: &SourceMap, diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| gslang_syntax::diag::render(sources, d))
        .collect()
}

impl Schema {
    /// Loads and checks `path` (and what it imports, looked up in
    /// `include` and then in the gate's own `gate.gs`).
    pub fn load(path: &Path, include: &[PathBuf]) -> Result<Schema, SchemaError> {
        let mut include_dirs = include.to_vec();
        include_dirs.push(PathBuf::from(EMBEDDED_DIR));
        let options = Options { include_dirs };
        let analysis = gslang_sema::analyze(&[path.to_owned()], &options, &mut GateLoader);
        if let Some(e) = analysis.root_errors.first() {
            return Err(SchemaError(format!(
                "error: cannot read {}: {e:?}\n",
                path.display()
            )));
        }
        let Some(model) = analysis.model else {
            let errors: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            return Err(SchemaError(render(&analysis.sources, &errors)));
        };
        Schema::from_model(model).map_err(|diags| SchemaError(render(&analysis.sources, &diags)))
    }

    /// The schema of a checked model, or the gate's errors about it.
    pub fn from_model(model: Model) -> Result<Schema, Vec<Diagnostic>> {
        let gate = model
            .modules()
            .iter()
            .find(|(_, m)| m.name == "gate" && !m.is_builtin)
            .map(|(id, _)| id);
        let record = |name: &str| {
            model
                .records()
                .iter()
                .find(|(_, r)| Some(r.module) == gate && r.name == name)
                .map(|(id, _)| id)
        };
        let errors = gs2rust::gate::check(&model);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (expose, key) = (record("Expose"), record("Key"));
        let mut routes = Vec::new();
        let mut by_name = HashMap::new();
        let mut objects = HashMap::new();
        for (cid, contract) in model.contracts().iter() {
            let full = model.full_name(ItemId::Contract(cid));
            let exposed = expose.and_then(|e| model.annotation(&contract.annotations, e));
            let sticky = exposed.is_some_and(|a| a.value.bool("Sticky") == Some(true));
            // Contract names live as long as the gate: a schema is loaded once.
            let contract_name: &'static str = Box::leak(full.clone().into_boxed_str());
            for m in model.methods(cid) {
                let method = model.method(m);
                let route = format!("{full}.{}", method.name);
                let types: Vec<Type> = method.params.iter().map(|p| p.ty.clone()).collect();
                objects.insert(route.clone(), object_name(&model, &types));
                if exposed.is_none() {
                    continue;
                }
                let returns: Vec<Type> = method.returns.iter().map(|p| p.ty.clone()).collect();
                // Among the params the client sends (checked: not the session).
                let key = key.and_then(|k| {
                    let i = method
                        .params
                        .iter()
                        .position(|p| model.annotation(&p.annotations, k).is_some())?;
                    i.checked_sub(1)
                });
                by_name.insert(route.clone(), routes.len());
                routes.push(RouteInfo {
                    code: 0,
                    route,
                    contract: contract_name,
                    method: m.id,
                    // After the session (checked above).
                    params: types.get(1..).unwrap_or_default().to_vec(),
                    is_async: method.is_async,
                    sticky,
                    key,
                    param_names: crate::json::param_names(&method.params)
                        .into_iter()
                        .skip(1)
                        .collect(),
                    returns_object: object_name(&model, &returns),
                    returns,
                });
            }
        }
        if routes.len() > usize::from(u16::MAX) {
            routes.truncate(usize::from(u16::MAX));
        }
        for (i, r) in routes.iter_mut().enumerate() {
            r.code = (i + 1) as u16;
        }
        let routes = routes.into_iter().map(Arc::new).collect();
        let errors = model
            .enums()
            .iter()
            .filter(|(_, e)| e.is_error)
            .map(|(id, _)| (model.error_domain(id), id))
            .collect();
        Ok(Schema {
            model,
            routes,
            by_name,
            objects,
            errors,
        })
    }

    /// Every exposed method, in dictionary order.
    pub fn routes(&self) -> &[Arc<RouteInfo>] {
        &self.routes
    }

    /// The exposed method of route `name`.
    pub fn route(&self, name: &str) -> Option<&Arc<RouteInfo>> {
        self.by_name.get(name).map(|&i| &self.routes[i])
    }

    /// The exposed method of dictionary number `code`.
    pub fn route_by_code(&self, code: u16) -> Option<&Arc<RouteInfo>> {
        self.routes.get(usize::from(code).checked_sub(1)?)
    }

    /// The object name of the params of the method of route `name` (any
    /// contract of the schema), or empty.
    pub fn object_of(&self, route: &str) -> &str {
        self.objects.get(route).map_or("", String::as_str)
    }

    /// The full name (`module.Enum.Value`) of value `code` of the `@Error` enum of domain `domain`.
    pub fn error_name(&self, domain: &[u8; 16], code: i32) -> Option<String> {
        let id = *self.errors.get(domain)?;
        let value = self.model.enum_(id).value_of(i64::from(code))?;
        Some(format!(
            "{}.{}",
            self.model.full_name(ItemId::Enum(id)),
            value.name
        ))
    }

    /// Checks that `data` is the encoding of values of `types`, one after
    /// the other and nothing after; returns where each one ends.
    pub fn split(&self, types: &[Type], data: &[u8]) -> Option<Vec<usize>> {
        let mut ends = Vec::with_capacity(types.len());
        self.split_into(types, data, &mut ends).then_some(ends)
    }

    /// [`split`](Self::split) into a buffer the caller reuses: `ends` is
    /// cleared, then holds where each value ends when this returns true.
    pub fn split_into(&self, types: &[Type], data: &[u8], ends: &mut Vec<usize>) -> bool {
        ends.clear();
        let mut v = Validator {
            model: &self.model,
            data,
            pos: 0,
            visits: 0,
        };
        for ty in types {
            if v.value(ty, 0).is_err() {
                return false;
            }
            ends.push(v.pos);
        }
        v.pos == data.len()
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

fn object_name(model: &Model, types: &[Type]) -> String {
    match types {
        [Type::Record(id)] => model.full_name(ItemId::Record(*id)),
        [Type::Enum(id)] => model.full_name(ItemId::Enum(*id)),
        _ => String::new(),
    }
}

/// Appends `n` as a varint of wire.md §1 (LEB128; lengths and counts,
/// which callers keep within a u32).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A varint of wire.md §1 (minimal LEB128 of a u32) at `*pos`, which moves
/// past it.
pub(crate) fn read_varint(data: &[u8], pos: &mut usize) -> Option<usize> {
    let mut value: u64 = 0;
    for i in 0..5 {
        let b = *data.get(*pos)?;
        *pos += 1;
        if i == 4 && b > 0x0f {
            return None;
        }
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if b == 0 && i > 0 {
                return None;
            }
            return usize::try_from(value).ok();
        }
    }
    None
}

struct Validator<'a> {
    model: &'a Model,
    data: &'a [u8],
    pos: usize,
    visits: u64,
}

impl Validator<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ()> {
        let end = self.pos.checked_add(n).ok_or(())?;
        let bytes = self.data.get(self.pos..end).ok_or(())?;
        self.pos = end;
        Ok(bytes)
    }

    fn varint(&mut self) -> Result<usize, ()> {
        read_varint(self.data, &mut self.pos).ok_or(())
    }

    fn value(&mut self, ty: &Type, depth: u32) -> Result<(), ()> {
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return Err(());
        }
        match ty {
            Type::Scalar(s) => match s.class() {
                ScalarClass::Bool => match self.take(1)?[0] {
                    0 | 1 => Ok(()),
                    _ => Err(()),
                },
                ScalarClass::Int { bytes, .. } | ScalarClass::Float { bytes } => {
                    self.take(usize::from(bytes)).map(drop)
                }
                ScalarClass::String => {
                    let n = self.varint()?;
                    std::str::from_utf8(self.take(n)?).map(drop).map_err(drop)
                }
            },
            Type::Enum(id) => {
                let e = self.model.enum_(*id);
                let ScalarClass::Int { signed, bytes } = e.base.class() else {
                    return Err(());
                };
                let raw = self.take(usize::from(bytes))?;
                let mut buf = [0u8; 8];
                buf[..raw.len()].copy_from_slice(raw);
                let unsigned = u64::from_le_bytes(buf);
                let bits = u32::from(bytes) * 8;
                let number = if signed && bits < 64 {
                    let shift = 64 - bits;
                    ((unsigned << shift) as i64) >> shift
                } else {
                    unsigned as i64
                };
                if e.is_flag || e.value_of(number).is_some() {
                    Ok(())
                } else {
                    Err(())
                }
            }
            Type::List(inner) => {
                let n = self.varint()?;
                let min = self.model.min_len(inner);
                if min > 0 && (n as u64).saturating_mul(min) > (self.data.len() - self.pos) as u64 {
                    return Err(());
                }
                self.elements(inner, n, depth)
            }
            Type::Array(n, inner) => self.elements(inner, *n as usize, depth),
            Type::Record(id) => {
                if depth >= MAX_DEPTH {
                    return Err(());
                }
                let record = self.model.record(*id);
                for field in &record.fields {
                    self.value(&field.ty, depth + 1)?;
                }
                Ok(())
            }
        }
    }

    fn elements(&mut self, inner: &Type, n: usize, depth: u32) -> Result<(), ()> {
        // Numbers accept every bit pattern: skip them in one step.
        if let Type::Scalar(s) = inner
            && let ScalarClass::Int { bytes, .. } | ScalarClass::Float { bytes } = s.class()
        {
            return self
                .take(n.checked_mul(usize::from(bytes)).ok_or(())?)
                .map(drop);
        }
        for _ in 0..n {
            self.value(inner, depth)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Result<Schema, String> {
        let mut loader = gslang_sema::MemoryLoader::new();
        loader.add("gate.gs", GATE_GS).add("app.gs", text);
        let analysis =
            gslang_sema::analyze(&[PathBuf::from("app.gs")], &Options::default(), &mut loader);
        let model = analysis
            .model
            .ok_or_else(|| render(&analysis.sources, &analysis.diagnostics))?;
        Schema::from_model(model).map_err(|d| render(&analysis.sources, &d))
    }

    const APP: &str = r#"
import "gate.gs"
@Error
enum E(int32) { Bad(1), Worse(2) }
enum Color(uint16) { Red, Green }
struct P { X int32; C Color; Name string; Flags []bool; }
table Empty {}
@gate.Expose
contract A {
    M(s gate.Session, a string, p P) -> (P);
    @Async
    N(s gate.Session, n []Empty);
}
@gate.Expose(Sticky: true)
contract B { O(s gate.Session); }
contract Client { Said(p P); }
"#;

    #[test]
    fn routes_and_dictionary_of_exposed_contracts() {
        let s = schema(APP).unwrap();
        let names: Vec<_> = s
            .routes()
            .iter()
            .map(|r| (r.route.as_str(), r.code))
            .collect();
        assert_eq!(names, [("app.A.M", 1), ("app.A.N", 2), ("app.B.O", 3)]);
        let m = s.route("app.A.M").unwrap();
        assert_eq!((m.contract, m.method, m.params.len()), ("app.A", 0, 2));
        assert_eq!(m.returns_object, "app.P");
        assert!(!m.sticky && s.route("app.B.O").unwrap().sticky);
        assert!(s.route_by_code(2).unwrap().is_async);
        assert!(s.route_by_code(0).is_none() && s.route_by_code(4).is_none());
        assert!(s.route("app.Client.Said").is_none());
        assert_eq!(s.object_of("app.Client.Said"), "app.P");
        let e = s
            .model()
            .enums()
            .iter()
            .find(|(_, e)| e.name == "E")
            .unwrap()
            .0;
        assert_eq!(
            s.error_name(&s.model().error_domain(e), 2).as_deref(),
            Some("app.E.Worse")
        );
    }

    #[test]
    fn data_is_checked_against_the_params() {
        let s = schema(APP).unwrap();
        let m = s.route("app.A.M").unwrap();
        let good = gscluster::to_bytes(&(
            "hi".to_owned(),
            7i32,
            1u16,
            "n".to_owned(),
            vec![true, false],
        ));
        assert_eq!(s.split(&m.params, &good), Some(vec![3, good.len()]));
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(s.split(&m.params, &trailing).is_none());
        // Color 2 is not a value; a bool 2; a truncated string.
        let bad_enum = gscluster::to_bytes(&(
            "hi".to_owned(),
            7i32,
            2u16,
            "n".to_owned(),
            Vec::<bool>::new(),
        ));
        assert!(s.split(&m.params, &bad_enum).is_none());
        let mut bad_bool = good.clone();
        let last = bad_bool.len() - 1;
        bad_bool[last] = 2;
        assert!(s.split(&m.params, &bad_bool).is_none());
        assert!(s.split(&m.params, &good[..5]).is_none());
        // A huge count of empty values is bounded work.
        let n = s.route("app.A.N").unwrap();
        assert!(
            s.split(&n.params, &[0xff, 0xff, 0xff, 0xff, 0x0f])
                .is_none()
        );
        assert!(s.split(&n.params, &[0x03]).is_some());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_data_is_accepted_or_refused_never_a_panic(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)
        ) {
            let s = schema(APP).unwrap();
            for r in s.routes() {
                if let Some(ends) = s.split(&r.params, &data) {
                    proptest::prop_assert_eq!(ends.len(), r.params.len());
                    proptest::prop_assert_eq!(ends.last().copied().unwrap_or(0), data.len());
                }
            }
        }
    }

    #[test]
    fn an_exposed_method_without_a_session_is_an_error() {
        let err = schema("import \"gate.gs\"\n@gate.Expose\ncontract A {\n    M(a string);\n}\n")
            .unwrap_err();
        assert!(err.contains("error[E0604]"), "{err}");
        assert!(err.contains("app.gs:4"), "{err}");
    }
}
