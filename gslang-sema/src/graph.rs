//! Cycles in the graphs the semantic pass checks: imports, records that
//! contain each other by value, contract inheritance. One iterative
//! depth-first search serves all three, so that no input, however long its
//! chains, turns into stack depth.

/// One step of a cycle: a node and the index of the edge it leaves by.
pub(crate) type Step = (usize, usize);

/// The cycles of the graph of `n` nodes whose edges `edge(node, i)` gives:
/// `Some(Some(target))` for the `i`th edge, `Some(None)` for an `i`th entry
/// that is not an edge, `None` past the last.
///
/// Each cycle is reported once, at the edge that closes it during the
/// search: its steps go from the node where the cycle starts to the node
/// whose edge leads back to it.
pub(crate) fn cycles(
    n: usize,
    edge: impl Fn(usize, usize) -> Option<Option<usize>>,
) -> Vec<Vec<Step>> {
    // 0: not visited, 1: on the stack, 2: done.
    let mut state = vec![0u8; n];
    let mut found = Vec::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        // (node, index of the next edge to follow)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(target) = edge(node, *next) else {
                state[node] = 2;
                stack.pop();
                continue;
            };
            *next += 1;
            let Some(target) = target else { continue };
            match state[target] {
                0 => {
                    state[target] = 1;
                    stack.push((target, 0));
                }
                1 => {
                    let from = stack.iter().position(|&(m, _)| m == target).unwrap_or(0);
                    found.push(
                        stack[from..]
                            .iter()
                            .map(|&(m, next)| (m, next - 1))
                            .collect(),
                    );
                }
                _ => {}
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[&[usize]]) -> Vec<Vec<Step>> {
        cycles(edges.len(), |node, i| edges[node].get(i).map(|&t| Some(t)))
    }

    #[test]
    fn finds_each_cycle_with_its_steps() {
        assert_eq!(graph(&[&[1], &[2], &[]]), Vec::<Vec<Step>>::new());
        assert_eq!(graph(&[&[0]]), vec![vec![(0, 0)]]);
        assert_eq!(
            graph(&[&[1], &[2], &[0]]),
            vec![vec![(0, 0), (1, 0), (2, 0)]]
        );
        assert_eq!(graph(&[&[2, 1], &[1], &[]]), vec![vec![(1, 0)]]);
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let n = 1_000_000;
        let found = cycles(n, |node, i| (i == 0).then_some(Some((node + 1) % n)));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
