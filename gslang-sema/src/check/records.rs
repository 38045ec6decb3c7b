//! Tables and structs (spec §4–§5): unique field names, and no record that
//! contains itself by value (directly, through other records, or through
//! arrays). Containment through a list is fine.

use gslang_syntax::Diagnostic;

use crate::collect::Collected;
use crate::errors::CheckError;
use crate::ids::{Arena, RecordId};
use crate::ir::{Record, Type};

/// The record a field contains by value, if any: arrays contain their
/// elements, lists do not.
fn contained(ty: &Type) -> Option<RecordId> {
    match ty.under_arrays() {
        Type::Record(id) => Some(*id),
        _ => None,
    }
}

/// Checks every record.
pub(crate) fn check(
    collected: &Collected<'_>,
    records: &Arena<RecordId, Record>,
    diags: &mut Vec<Diagnostic>,
) {
    for id in records.ids() {
        super::duplicates(
            collected
                .record_fields(id)
                .iter()
                .map(|f| (f.name.name.as_str(), f.name.span)),
            diags,
            |name, span, first| CheckError::DuplicateField {
                name: name.into(),
                span,
                first,
            },
        );
    }
    let all: Vec<&Record> = records.values().collect();
    let found = crate::graph::cycles(all.len(), |node, i| {
        all[node]
            .fields
            .get(i)
            .map(|f| contained(&f.ty).map(RecordId::index))
    });
    for path in found {
        diags.push(recursion(&all, &path).into());
    }
}

/// `path` lists (record, field) pairs; the last field leads back to the first record.
fn recursion(records: &[&Record], path: &[(usize, usize)]) -> CheckError {
    let (first, _) = path[0];
    let mut cycle: Vec<String> = path
        .iter()
        .map(|&(r, f)| format!("{}.{}", records[r].name, records[r].fields[f].name))
        .collect();
    cycle.push(records[first].name.to_string());
    let steps = path
        .iter()
        .take(8)
        .map(|&(r, f)| {
            let field = &records[r].fields[f];
            let next = contained(&field.ty)
                .map(|id| records[id.index()].name.clone())
                .unwrap_or_default();
            (field.span, next)
        })
        .collect();
    CheckError::RecursiveRecord {
        name: records[first].name.clone(),
        span: records[first].span,
        steps,
        cycle,
    }
}
