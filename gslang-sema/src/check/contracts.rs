//! Contracts (spec §5): no inheritance cycles; unique method names in the
//! flattened method list of every contract; at most 65535 methods; unique
//! param names.
//!
//! Flattening walks the inheritance graph iteratively, so that a long chain
//! of contracts costs time in proportion to its methods and never overflows
//! the stack.

use gslang_syntax::Diagnostic;
use rustc_hash::{FxHashMap, FxHashSet};
use smol_str::SmolStr;

use crate::cx::Cx;
use crate::ir::{ContractId, linearize};
use crate::load::elide_cycle;

/// The most methods a contract may have: method ids are 16-bit.
pub const MAX_METHODS: usize = 65535;

impl Cx<'_> {
    pub(crate) fn check_contracts(&mut self) {
        for id in 0..self.contracts.len() {
            let methods = self.contract_methods(ContractId(id as u32));
            super::duplicates(
                methods.iter().map(|m| (m.name.name.as_str(), m.name.span)),
                "E0350",
                "method",
                &mut self.diags,
            );
            for method in methods {
                for (list, what) in [(&method.params, "param"), (&method.returns, "return value")] {
                    super::duplicates(
                        list.iter()
                            .filter_map(|p| p.name.as_ref().map(|n| (n.name.as_str(), n.span))),
                        "E0351",
                        what,
                        &mut self.diags,
                    );
                }
            }
        }
        self.check_inheritance_cycles();
        self.check_flattened();
    }

    fn check_inheritance_cycles(&mut self) {
        let n = self.contracts.len();
        let contracts = &self.contracts;
        let found = crate::graph::cycles(n, |node, i| {
            contracts[node].bases.get(i).map(|b| Some(b.index()))
        });
        for cycle in found {
            let &(last, at) = cycle.last().unwrap_or(&(0, 0));
            let span = self.base_spans[last][at];
            let first = cycle[0].0;
            let diag = if cycle.len() == 1 {
                Diagnostic::error(
                    "E0352",
                    format!(
                        "contract `{}` inherits from itself",
                        self.contracts[last].name
                    ),
                    span,
                )
                .with_label("inherits from itself here")
            } else {
                let names: Vec<&str> = cycle
                    .iter()
                    .chain(cycle.first())
                    .map(|&(c, _)| self.contracts[c].name.as_str())
                    .collect();
                Diagnostic::error(
                    "E0352",
                    format!(
                        "inheritance cycle through contract `{}`",
                        self.contracts[first].name
                    ),
                    span,
                )
                .with_label("this base closes the cycle")
                .with_note(format!("cycle: {}", elide_cycle(&names)))
            };
            for &(c, _) in &cycle {
                self.contract_in_cycle[c] = true;
            }
            self.error(diag);
        }
        // A contract that inherits from a contract in a cycle cannot be flattened either.
        let mut changed = true;
        while changed {
            changed = false;
            for id in 0..n {
                if !self.contract_in_cycle[id]
                    && self.contracts[id]
                        .bases
                        .iter()
                        .any(|b| self.contract_in_cycle[b.index()])
                {
                    self.contract_in_cycle[id] = true;
                    changed = true;
                }
            }
        }
    }

    /// Checks the flattened method list of every contract: unique names, at most 65535.
    fn check_flattened(&mut self) {
        let n = self.contracts.len();
        // Method names interned to small integers, so that the per-contract
        // check uses arrays instead of hashing every inherited method again.
        let mut symbols: FxHashMap<SmolStr, u32> = FxHashMap::default();
        let method_syms: Vec<Vec<u32>> = self
            .contracts
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
        let mut seen = vec![false; n];
        let mut reported: FxHashSet<((u32, u32), (u32, u32))> = FxHashSet::default();
        let bases: Vec<Vec<ContractId>> = self.contracts.iter().map(|c| c.bases.clone()).collect();
        for id in 0..n {
            if self.contract_in_cycle[id] {
                continue;
            }
            let order = linearize(ContractId(id as u32), |c| &bases[c.index()], &mut seen);
            let mut count = 0usize;
            for &c in &order {
                for (index, &sym) in method_syms[c.index()].iter().enumerate() {
                    count += 1;
                    let here = (c.0, index as u32);
                    if stamp[sym as usize] == id as u32 {
                        let there = first[sym as usize];
                        // Same-contract duplicates are reported by the per-contract check.
                        if there.0 != here.0 && reported.insert((there, here)) {
                            self.report_inherited_clash(ContractId(id as u32), there, here);
                        }
                    } else {
                        stamp[sym as usize] = id as u32;
                        first[sym as usize] = here;
                    }
                }
            }
            if count > MAX_METHODS {
                let c = &self.contracts[id];
                self.error(
                    Diagnostic::error(
                        "E0354",
                        format!("contract `{}` has too many methods", c.name),
                        c.span,
                    )
                    .with_label(format!("{count} methods, inherited ones included"))
                    .with_note(format!(
                        "method ids are 16-bit: a contract has at most {MAX_METHODS} methods"
                    )),
                );
            }
        }
    }

    fn report_inherited_clash(
        &mut self,
        contract: ContractId,
        there: (u32, u32),
        here: (u32, u32),
    ) {
        let first = &self.contracts[there.0 as usize];
        let second = &self.contracts[here.0 as usize];
        let method = &second.methods[here.1 as usize];
        let first_method = &first.methods[there.1 as usize];
        let owner = &self.contracts[contract.index()];
        let mut diag = Diagnostic::error(
            "E0353",
            format!(
                "method `{}` appears twice in the methods of contract `{}`",
                method.name, owner.name
            ),
            method.span,
        )
        .with_label(format!("`{}.{}`", second.name, method.name))
        .with_secondary(
            first_method.span,
            format!("`{}.{}` comes first", first.name, first_method.name),
        );
        if contract.0 != here.0 {
            diag = diag.with_secondary(
                owner.span,
                format!("both are inherited by `{}`", owner.name),
            );
        }
        diag = diag
            .with_note("a contract's methods, inherited ones included, must have distinct names");
        self.error(diag);
    }
}
