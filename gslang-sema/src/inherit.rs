//! Contract inheritance (spec §5): the linearization that orders a
//! contract's ancestors, from which its flattened method list and its method
//! ids follow. Used by the contract checks and by [`Model::methods`].
//!
//! [`Model::methods`]: crate::Model::methods

use crate::ir::ContractId;

/// Post-order walk of the inheritance graph from `root`, skipping contracts
/// already seen: the linearization of spec §5 (for each base in order, its
/// own linearization; then the contract itself; each contract once, at its
/// first place).
///
/// `first_visit(c)` marks `c` seen and says whether it was not seen before;
/// the caller chooses the set (a hash set for one walk, or a reusable array
/// for many). Iterative, so that long inheritance chains cannot overflow the
/// stack; time linear in the edges walked. The graph must have no cycle
/// through `root` (the semantic pass reports those first).
pub(crate) fn linearize<'a, B, V>(root: ContractId, bases: B, mut first_visit: V) -> Vec<ContractId>
where
    B: Fn(ContractId) -> &'a [ContractId],
    V: FnMut(ContractId) -> bool,
{
    let mut out = Vec::new();
    let mut stack: Vec<(ContractId, usize)> = vec![(root, 0)];
    first_visit(root);
    while let Some((id, next)) = stack.pop() {
        match bases(id).get(next) {
            Some(&base) => {
                stack.push((id, next + 1));
                if first_visit(base) {
                    stack.push((base, 0));
                }
            }
            None => out.push(id),
        }
    }
    out
}
