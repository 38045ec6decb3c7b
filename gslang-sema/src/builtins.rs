//! The declarations of the built-in module `gslang` (spec §7) that the
//! language gives meaning to: `Target` and `Usage` for placement,
//! `Flag`, `Error` and `Async` for the checks, `Profile` and `Deprecated`
//! for back ends, `Fault` for the RPC layer.
//!
//! Found by name in module 0 after collection. The built-in source is
//! embedded, so they are always there; `None` would mean the embedded
//! source itself is broken, which its own diagnostics then show.

use crate::collect::{Collected, builtin_module};
use crate::ir::{Builtins, ItemId};

/// Finds the built-in declarations.
pub(crate) fn find(collected: &Collected<'_>) -> Option<Builtins> {
    let module = builtin_module();
    let scope = &collected.scopes[module.index()].decls;
    let record = |name: &str| match scope.get(name) {
        Some(ItemId::Record(id)) => Some(*id),
        _ => None,
    };
    let enum_ = |name: &str| match scope.get(name) {
        Some(ItemId::Enum(id)) => Some(*id),
        _ => None,
    };
    Some(Builtins {
        module,
        target: enum_("Target")?,
        usage: record("Usage")?,
        flag: record("Flag")?,
        error: record("Error")?,
        async_: record("Async")?,
        profile: record("Profile")?,
        deprecated: record("Deprecated")?,
        fault: enum_("Fault")?,
    })
}
