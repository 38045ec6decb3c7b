//! Pass 4: the checks of the declarations (spec §4–§5), one module per kind
//! of declaration. They run after name resolution, in the order `lib.rs`
//! lists: enums (which numbers their values, making the IR enums), records,
//! contracts.

pub(crate) mod contracts;
pub(crate) mod enums;
pub(crate) mod records;

use std::hash::Hash;

use gslang_syntax::{Diagnostic, Span};
use rustc_hash::FxHashMap;

/// Reports names that appear twice in one list: `report(name, span, first)`
/// makes the diagnostic for the second occurrence.
pub(crate) fn duplicates<'n, K, E>(
    items: impl IntoIterator<Item = (&'n K, Span)>,
    diags: &mut Vec<Diagnostic>,
    report: impl Fn(&K, Span, Span) -> E,
) where
    K: Eq + Hash + ?Sized + 'n,
    E: Into<Diagnostic>,
{
    let items: Vec<(&K, Span)> = items.into_iter().collect();
    // Most lists are short: comparing pairs beats building a hash map.
    if items.len() <= 16 {
        for (i, &(name, span)) in items.iter().enumerate() {
            if let Some(&(_, first)) = items[..i].iter().find(|(other, _)| *other == name) {
                diags.push(report(name, span, first).into());
            }
        }
        return;
    }
    let mut seen: FxHashMap<&K, Span> = FxHashMap::default();
    for (name, span) in items {
        match seen.get(name) {
            Some(&first) => diags.push(report(name, span, first).into()),
            None => {
                seen.insert(name, span);
            }
        }
    }
}
