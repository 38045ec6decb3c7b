//! Tables and structs (spec §4–§5): unique field names, and no record that
//! contains itself by value (directly, through other records, or through
//! arrays). Containment through a list is fine.

use gslang_syntax::Diagnostic;

use crate::cx::Cx;
use crate::ir::{RecordId, Type};
use crate::load::elide_cycle;

/// The record a field contains by value, if any: arrays contain their
/// elements, lists do not.
fn contained(ty: &Type) -> Option<RecordId> {
    let mut ty = ty;
    loop {
        match ty {
            Type::Array(_, inner) => ty = inner,
            Type::Record(id) => return Some(*id),
            _ => return None,
        }
    }
}

impl Cx<'_> {
    pub(crate) fn check_records(&mut self) {
        for id in 0..self.records.len() {
            let fields = self.record_fields(RecordId(id as u32));
            super::duplicates(
                fields.iter().map(|f| (f.name.name.as_str(), f.name.span)),
                "E0340",
                "field",
                &mut self.diags,
            );
        }
        self.check_containment();
    }

    /// Finds cycles of by-value containment.
    fn check_containment(&mut self) {
        let records = &self.records;
        let found = crate::graph::cycles(records.len(), |node, i| {
            records[node]
                .fields
                .get(i)
                .map(|f| contained(&f.ty).map(RecordId::index))
        });
        for path in found {
            self.report_recursion(&path);
        }
    }

    /// `path` lists (record, field) pairs; the last field leads back to the first record.
    fn report_recursion(&mut self, path: &[(usize, usize)]) {
        let (first, _) = path[0];
        let record = &self.records[first];
        let mut names: Vec<String> = path
            .iter()
            .map(|&(r, f)| {
                format!(
                    "{}.{}",
                    self.records[r].name, self.records[r].fields[f].name
                )
            })
            .collect();
        names.push(record.name.to_string());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut diag = Diagnostic::error(
            "E0341",
            format!("recursive type `{}` has infinite size", record.name),
            record.span,
        )
        .with_label("contains itself by value");
        for &(r, f) in path.iter().take(8) {
            let field = &self.records[r].fields[f];
            let next = contained(&field.ty)
                .map(|id| self.records[id.index()].name.clone())
                .unwrap_or_default();
            diag = diag.with_secondary(field.span, format!("contains `{next}` by value"));
        }
        diag = diag
            .with_note(format!("cycle: {}", elide_cycle(&names)))
            .with_help("break the cycle with a list, which may be empty: `[]T`");
        self.error(diag);
    }
}
