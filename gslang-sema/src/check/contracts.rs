//! Contracts (spec §5): no inheritance cycles; unique method names in the
//! flattened method list of every contract; at most 65535 methods; unique
//! param names.
//!
//! Flattening walks the inheritance graph iteratively (the linearization of
//! `inherit.rs`), so that a long chain of contracts costs time in proportion
//! to its methods and never overflows the stack.

use gslang_syntax::{Diagnostic, Span};
use rustc_hash::{FxHashMap, FxHashSet};
use smol_str::SmolStr;

use crate::collect::Collected;
use crate::errors::CheckError;
use crate::ids::{Arena, ContractId};
use crate::inherit::linearize;
use crate::ir::Contract;

/// The most methods a contract may have: method ids are 16-bit.
pub const MAX_METHODS: usize = 65535;

/// Checks every contract; `base_spans` holds the span of each resolved base.
pub(crate) fn check(
    collected: &Collected<'_>,
    contracts: &Arena<ContractId, Contract>,
    base_spans: &[Vec<Span>],
    diags: &mut Vec<Diagnostic>,
) {
    for id in contracts.ids() {
        let methods = collected.contract_methods(id);
        super::duplicates(
            methods.iter().map(|m| (m.name.name.as_str(), m.name.span)),
            diags,
            |name, span, first| CheckError::DuplicateMethod {
                name: name.into(),
                span,
                first,
            },
        );
        for method in methods {
            for (list, is_return) in [(&method.params, false), (&method.returns, true)] {
                super::duplicates(
                    list.iter()
                        .filter_map(|p| p.name.as_ref().map(|n| (n.name.as_str(), n.span))),
                    diags,
                    |name, span, first| CheckError::DuplicateParam {
                        name: name.into(),
                        span,
                        first,
                        is_return,
                    },
                );
            }
        }
    }
    let in_cycle = inheritance_cycles(contracts, base_spans, diags);
    check_flattened(contracts, &in_cycle, diags);
}

/// Reports inheritance cycles; returns the contracts that are part of one
/// or inherit from one, which cannot be flattened.
fn inheritance_cycles(
    contracts: &Arena<ContractId, Contract>,
    base_spans: &[Vec<Span>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let all: Vec<&Contract> = contracts.values().collect();
    let n = all.len();
    let found = crate::graph::cycles(n, |node, i| all[node].bases.get(i).map(|b| Some(b.index())));
    let mut in_cycle = vec![false; n];
    for cycle in found {
        let &(last, at) = cycle.last().unwrap_or(&(0, 0));
        let names = cycle.iter().map(|&(c, _)| all[c].name.clone()).collect();
        diags.push(
            CheckError::InheritanceCycle {
                span: base_spans[last][at],
                cycle: names,
            }
            .into(),
        );
        for &(c, _) in &cycle {
            in_cycle[c] = true;
        }
    }
    // A contract that inherits from a contract in a cycle cannot be flattened either.
    let mut changed = true;
    while changed {
        changed = false;
        for id in 0..n {
            if !in_cycle[id] && all[id].bases.iter().any(|b| in_cycle[b.index()]) {
                in_cycle[id] = true;
                changed = true;
            }
        }
    }
    in_cycle
}

/// Checks the flattened method list of every contract: unique names, at most 65535.
fn check_flattened(
    contracts: &Arena<ContractId, Contract>,
    in_cycle: &[bool],
    diags: &mut Vec<Diagnostic>,
) {
    let all: Vec<&Contract> = contracts.values().collect();
    // Method names interned to small integers, so that the per-contract
    // check uses arrays instead of hashing every inherited method again.
    let mut symbols: FxHashMap<SmolStr, u32> = FxHashMap::default();
    let method_syms: Vec<Vec<u32>> = all
        .iter()
        .map(|c| {
            c.methods
                .iter()
                .map(|m| {
                    let next = symbols.len() as u32;
                    *symbols.entry(m.name.clone()).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut stamp = vec![u32::MAX; symbols.len()];
    let mut first: Vec<(u32, u32)> = vec![(0, 0); symbols.len()];
    // The contracts seen by the current walk: stamped with its contract,
    // so that the array is reused without clearing.
    let mut seen = vec![u32::MAX; all.len()];
    let mut reported: FxHashSet<((u32, u32), (u32, u32))> = FxHashSet::default();
    for (id, contract) in contracts.iter() {
        if in_cycle[id.index()] {
            continue;
        }
        let walk = id.index() as u32;
        let order = linearize(
            id,
            |c| &contracts[c].bases,
            |c| std::mem::replace(&mut seen[c.index()], walk) != walk,
        );
        let mut count = 0usize;
        for &c in &order {
            for (index, &sym) in method_syms[c.index()].iter().enumerate() {
                count += 1;
                let here = (c.index() as u32, index as u32);
                if stamp[sym as usize] == walk {
                    let there = first[sym as usize];
                    // Same-contract duplicates are reported by the per-contract check.
                    if there.0 != here.0 && reported.insert((there, here)) {
                        diags.push(clash(&all, id, there, here).into());
                    }
                } else {
                    stamp[sym as usize] = walk;
                    first[sym as usize] = here;
                }
            }
        }
        if count > MAX_METHODS {
            diags.push(
                CheckError::TooManyMethods {
                    name: contract.name.clone(),
                    span: contract.span,
                    count,
                    max: MAX_METHODS,
                }
                .into(),
            );
        }
    }
}

fn clash(
    all: &[&Contract],
    contract: ContractId,
    there: (u32, u32),
    here: (u32, u32),
) -> CheckError {
    let first = all[there.0 as usize];
    let second = all[here.0 as usize];
    let method = &second.methods[here.1 as usize];
    let first_method = &first.methods[there.1 as usize];
    let owner = all[contract.index()];
    CheckError::InheritedClash {
        method: method.name.clone(),
        contract: owner.name.clone(),
        span: method.span,
        owner: second.name.clone(),
        first: first_method.span,
        first_owner: first.name.clone(),
        inherited_by: (contract.index() as u32 != here.0).then_some(owner.span),
    }
}
