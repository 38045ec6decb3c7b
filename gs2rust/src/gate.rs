//! What the back end checks of schemas written for gsgate: with gsgate's
//! module `gate` in the compilation (a module `gate` declaring the table
//! `Expose`; its struct `Session` is what exposed methods take), every
//! method of a contract marked `@gate.Expose` (inherited ones included)
//! must take a `gate.Session` first, which the gate fills in (E0604), and
//! mark at most one param after it with `@gate.Key` (E0605). `gsc compile` and `Builder` report
//! them with the RPC stubs on; the gate itself reports them through
//! [`check`] when it loads a schema.

use gslang_sema::ir::{ItemId, Model, Type};
use gslang_syntax::Diagnostic;

use crate::errors::GenError;

/// The errors of the methods of exposed contracts: no `gate.Session` first
/// (E0604), a misplaced `@gate.Key` (E0605); in the order of the contracts
/// and their flattened methods; empty when the compilation has no gate
/// module.
pub fn check(model: &Model) -> Vec<Diagnostic> {
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
    let key = record("Key");
    let mut diags = Vec::new();
    for (id, contract) in model.contracts().iter() {
        if model.annotation(&contract.annotations, expose).is_none() {
            continue;
        }
        let full = model.full_name(ItemId::Contract(id));
        for m in model.methods(id) {
            let method = model.method(m);
            let route = || format!("{full}.{}", method.name);
            let first = method.params.first();
            if session.is_none() || first.map(|p| &p.ty) != session.as_ref() {
                diags.push(
                    GenError::MissingSession {
                        route: route(),
                        span: first.map_or(method.span, |p| p.span),
                        contract_span: contract.span,
                    }
                    .into(),
                );
            }
            let Some(key) = key else { continue };
            let mut keys = method
                .params
                .iter()
                .enumerate()
                .filter(|(_, p)| model.annotation(&p.annotations, key).is_some());
            let Some((i, first_key)) = keys.next() else {
                continue;
            };
            if i == 0 {
                diags.push(
                    GenError::MisplacedKey {
                        route: route(),
                        span: first_key.span,
                        first: None,
                    }
                    .into(),
                );
            }
            for (_, second) in keys {
                diags.push(
                    GenError::MisplacedKey {
                        route: route(),
                        span: second.span,
                        first: Some(first_key.span),
                    }
                    .into(),
                );
            }
        }
    }
    diags
}
