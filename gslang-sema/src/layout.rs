//! Layout facts every back end needs (wire.md §1): the fewest bytes a value
//! of each record encodes to, the size every value encodes to when it is
//! fixed, and which records are recursive (reach themselves through lists),
//! so that their decoders must count depth.
//!
//! Computed once, after the checks, for a schema without errors. Every
//! analysis is iterative (post-order over the by-value containment DAG, and
//! Tarjan's algorithm for the reference graph), so that long chains of
//! records cannot overflow the stack. Sizes saturate at `u64::MAX`.

use crate::ids::{Arena, EnumId, RecordId};
use crate::ir::{Enum, Record, Scalar, Type};

/// The layout of a record on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct RecordLayout {
    /// The fewest bytes a value encodes to (0 for a record of empty records).
    pub min_len: u64,
    /// The number of bytes every value encodes to, when that is fixed: no
    /// string or list anywhere inside.
    pub fixed_len: Option<u64>,
    /// Whether the record can reach itself through references (lists): its
    /// values nest without a bound the schema sets, so decoders count depth.
    pub recursive: bool,
}

/// The fewest bytes a value of `ty` encodes to.
pub(crate) fn min_len(ty: &Type, layouts: &[RecordLayout], base: impl Fn(EnumId) -> Scalar) -> u64 {
    match ty {
        Type::Scalar(s) => s.min_len(),
        Type::List(_) => 1,
        Type::Array(n, inner) => u64::from(*n).saturating_mul(min_len(inner, layouts, base)),
        Type::Record(id) => layouts[id.index()].min_len,
        Type::Enum(id) => base(*id).min_len(),
    }
}

/// The number of bytes every value of `ty` encodes to, if fixed.
pub(crate) fn fixed_len(
    ty: &Type,
    layouts: &[RecordLayout],
    base: impl Fn(EnumId) -> Scalar,
) -> Option<u64> {
    match ty {
        Type::Scalar(s) => s.fixed_len(),
        Type::List(_) => None,
        Type::Array(n, inner) => {
            fixed_len(inner, layouts, base).map(|len| u64::from(*n).saturating_mul(len))
        }
        Type::Record(id) => layouts[id.index()].fixed_len,
        Type::Enum(id) => base(*id).fixed_len(),
    }
}

/// The layout of every record, indexed by `RecordId`. The records must
/// contain each other by value as a DAG (the semantic pass rejects cycles).
pub(crate) fn compute(
    records: &Arena<RecordId, Record>,
    enums: &Arena<EnumId, Enum>,
) -> Vec<RecordLayout> {
    let n = records.len();
    let base = |e: EnumId| enums[e].base;
    let all: Vec<&Record> = records.values().collect();
    let by_value = |id: usize| -> Vec<usize> {
        all[id]
            .fields
            .iter()
            .filter_map(|f| match f.ty.under_arrays() {
                Type::Record(r) => Some(r.index()),
                _ => None,
            })
            .collect()
    };
    let mut layouts = vec![
        RecordLayout {
            min_len: 0,
            fixed_len: Some(0),
            recursive: false,
        };
        n
    ];
    // Post-order over the containment DAG: a record's sizes follow from those
    // of the records it contains by value.
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
            let fields = &all[node].fields;
            let min = fields.iter().fold(0u64, |acc, f| {
                acc.saturating_add(min_len(&f.ty, &layouts, base))
            });
            let fixed = fields.iter().try_fold(0u64, |acc, f| {
                fixed_len(&f.ty, &layouts, base).map(|len| acc.saturating_add(len))
            });
            layouts[node].min_len = min;
            layouts[node].fixed_len = fixed;
        }
    }
    for (layout, recursive) in layouts.iter_mut().zip(recursive_records(&all)) {
        layout.recursive = recursive;
    }
    layouts
}

/// Records on a cycle of references (through lists, or through arrays and
/// records into lists): Tarjan's strongly connected components, iteratively.
fn recursive_records(records: &[&Record]) -> Vec<bool> {
    let n = records.len();
    let edges: Vec<Vec<usize>> = records
        .iter()
        .map(|r| {
            r.fields
                .iter()
                .flat_map(|f| f.ty.walk())
                .filter_map(|t| match t {
                    Type::Record(id) => Some(id.index()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut recursive = vec![false; n];
    let mut counter = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut next)) = call.last_mut() {
            if let Some(&w) = edges[v].get(*next) {
                *next += 1;
                if w == v {
                    recursive[v] = true;
                }
                if index[w] == usize::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 {
                    for m in members {
                        recursive[m] = true;
                    }
                }
            }
        }
    }
    recursive
}
