//! What the back end checks of schemas written for gsgate: with gsgate's
//! module `gate` in the compilation (a module `gate` declaring the tables
//! `Session` and `Expose`), every method of a contract marked
//! `@gate.Expose` (inherited ones included) must take a `gate.Session`
//! first, which the gate fills in (E0604). `gsc compile` and `Builder`
//! report it with the RPC stubs on; the gate itself reports it through
//! [`exposed_without_session`] when it loads a schema.

use gslang_sema::ir::{ItemId, Model, Type};
use gslang_syntax::Diagnostic;

use crate::errors::GenError;

/// The methods of exposed contracts that do not take a `gate.Session`
/// first (E0604), in the order of the contracts and their flattened
/// methods; empty when the compilation has no gate module.
pub fn exposed_without_session(model: &Model) -> Vec<Diagnostic> {
    let Some((module, _)) = model
        .modules()
        .iter()
        .find(|(_, m)| m.name == "gate" && !m.is_builtin)
    else {
        return Vec::new();
    };
    let record = |name: &str| {
        model
            .records()
            .iter()
            .find(|(_, r)| r.module == module && r.name == name)
            .map(|(id, _)| id)
    };
    let Some(expose) = record("Expose") else {
        return Vec::new();
    };
    let session = record("Session").map(Type::Record);
    let mut diags = Vec::new();
    for (id, contract) in model.contracts().iter() {
        if model.annotation(&contract.annotations, expose).is_none() {
            continue;
        }
        for m in model.methods(id) {
            let method = model.method(m);
            let first = method.params.first();
            if session.is_some() && first.map(|p| &p.ty) == session.as_ref() {
                continue;
            }
            let full = model.full_name(ItemId::Contract(id));
            diags.push(
                GenError::MissingSession {
                    route: format!("{full}.{}", method.name),
                    span: first.map_or(method.span, |p| p.span),
                    contract_span: contract.span,
                }
                .into(),
            );
        }
    }
    diags
}
