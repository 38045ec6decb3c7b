//! What the generator needs to know about types beyond the model's layout:
//! their Rust spelling, and which derives each record can have.
//!
//! Every analysis over records is iterative (topological order or worklist),
//! so that long chains of records cannot overflow the stack.

use gslang_sema::ir::{ItemId, Model, ModuleId, Scalar, Type};

use crate::names::Names;

/// Rust facts about the records of a model, indexed by `RecordId`.
#[derive(Debug)]
pub(crate) struct RustTypes {
    /// Every field is `Copy`.
    pub copy: Vec<bool>,
    /// No float anywhere inside: `Eq` and `Hash` can be derived.
    pub eq: Vec<bool>,
}

/// The Rust spelling of a scalar.
pub(crate) fn scalar(s: Scalar) -> &'static str {
    match s {
        Scalar::Bool => "bool",
        Scalar::Byte => "u8",
        Scalar::SByte => "i8",
        Scalar::Int16 => "i16",
        Scalar::UInt16 => "u16",
        Scalar::Int32 => "i32",
        Scalar::UInt32 => "u32",
        Scalar::Int64 => "i64",
        Scalar::UInt64 => "u64",
        Scalar::Float32 => "f32",
        Scalar::Float64 => "f64",
        Scalar::String => "::std::string::String",
    }
}

/// Whether a field of this type keeps `Default` derivable: std implements
/// `Default` for arrays of at most 32 elements only.
pub(crate) fn default_derivable(ty: &Type) -> bool {
    ty.walk()
        .all(|t| !matches!(t, Type::Array(n, _) if *n > 32))
}

impl RustTypes {
    pub fn new(model: &Model) -> RustTypes {
        let records: Vec<_> = model.records().values().collect();
        let n = records.len();
        let by_value = |id: usize| -> Vec<usize> {
            records[id]
                .fields
                .iter()
                .filter_map(|f| match f.ty.under_arrays() {
                    Type::Record(r) => Some(r.index()),
                    _ => None,
                })
                .collect()
        };
        // Records contain each other by value as a DAG (the front end rejects
        // cycles): compute `copy` in post-order.
        let mut copy = vec![true; n];
        let mut state = vec![0u8; n];
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, by_value(start), 0usize)];
            state[start] = 1;
            while let Some((node, deps, next)) = stack.last_mut() {
                if let Some(&dep) = deps.get(*next) {
                    *next += 1;
                    if state[dep] == 0 {
                        state[dep] = 1;
                        stack.push((dep, by_value(dep), 0));
                    }
                    continue;
                }
                let node = *node;
                stack.pop();
                state[node] = 2;
                copy[node] = records[node]
                    .fields
                    .iter()
                    .all(|f| match f.ty.under_arrays() {
                        Type::Scalar(Scalar::String) | Type::List(_) => false,
                        Type::Record(id) => copy[id.index()],
                        _ => true,
                    });
            }
        }

        // Eq: a record is not Eq if a float is in it anywhere, lists included;
        // propagate "not Eq" to the records that mention it.
        let mut mentions: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut eq = vec![true; n];
        let mut work = Vec::new();
        for (id, record) in records.iter().enumerate() {
            for t in record.fields.iter().flat_map(|f| f.ty.walk()) {
                match t {
                    Type::Scalar(s) if s.is_float() && eq[id] => {
                        eq[id] = false;
                        work.push(id);
                    }
                    Type::Record(r) => mentions[r.index()].push(id),
                    _ => {}
                }
            }
        }
        while let Some(id) = work.pop() {
            for &user in &mentions[id] {
                if eq[user] {
                    eq[user] = false;
                    work.push(user);
                }
            }
        }
        RustTypes { copy, eq }
    }

    /// The Rust spelling of `ty` as written in module `from`.
    pub fn rust_type(&self, model: &Model, names: &Names, ty: &Type, from: ModuleId) -> String {
        match ty {
            Type::Scalar(s) => scalar(*s).to_owned(),
            Type::List(inner) => format!(
                "::std::vec::Vec<{}>",
                self.rust_type(model, names, inner, from)
            ),
            Type::Array(n, inner) => {
                format!("[{}; {n}]", self.rust_type(model, names, inner, from))
            }
            Type::Record(id) => names.item_path(model, ItemId::Record(*id), from),
            Type::Enum(id) => names.item_path(model, ItemId::Enum(*id), from),
        }
    }
}
