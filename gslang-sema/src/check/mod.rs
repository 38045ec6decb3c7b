//! Pass 3: the checks of spec §4–§6, one module per kind of declaration,
//! then annotations. They run after name resolution, in the order `lib.rs`
//! lists.

pub(crate) mod annotations;
pub(crate) mod contracts;
pub(crate) mod enums;
pub(crate) mod records;

use std::hash::Hash;

use gslang_syntax::{Diagnostic, Span};
use rustc_hash::FxHashMap;

/// Reports names that appear twice in one list, pointing at both.
pub(crate) fn duplicates<'n, K: Eq + Hash + std::fmt::Display + ?Sized + 'n>(
    items: impl IntoIterator<Item = (&'n K, Span)>,
    code: &'static str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let items: Vec<(&K, Span)> = items.into_iter().collect();
    let report = |diags: &mut Vec<Diagnostic>, name: &K, span: Span, first: Span| {
        diags.push(
            Diagnostic::error(code, format!("duplicate {what} `{name}`"), span)
                .with_label(format!("`{name}` declared again here"))
                .with_secondary(first, format!("`{name}` first declared here")),
        );
    };
    // Most lists are short: comparing pairs beats building a hash map.
    if items.len() <= 16 {
        for (i, &(name, span)) in items.iter().enumerate() {
            if let Some(&(_, first)) = items[..i].iter().find(|(other, _)| *other == name) {
                report(diags, name, span, first);
            }
        }
        return;
    }
    let mut seen: FxHashMap<&K, Span> = FxHashMap::default();
    for (name, span) in items {
        match seen.get(name) {
            Some(&first) => report(diags, name, span, first),
            None => {
                seen.insert(name, span);
            }
        }
    }
}
