//! Ranking: which edges to reverse so that the graph has no cycle, the
//! layer of every node, and the order of the vertices within each layer
//! (barycentre sweeps, keeping the order with the fewest crossings).

use super::{Vertex, SWEEPS};

/// Which of `pairs` close a cycle: those a depth-first search, started from
/// the sources and then from every node in index order, finds pointing at a
/// node still on its stack.
pub(super) fn back_edges(n: usize, pairs: &[(usize, usize)], sources: &[bool]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(a, b)) in pairs.iter().enumerate() {
        out[a].push((b, i));
    }
    let mut has_pred = vec![false; n];
    for &(_, b) in pairs {
        has_pred[b] = true;
    }
    // 0 unvisited, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let mut back = vec![false; pairs.len()];
    let starts = (0..n)
        .filter(|&v| sources[v])
        .chain((0..n).filter(|&v| !has_pred[v]))
        .chain(0..n);
    for s in starts.collect::<Vec<_>>() {
        if state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, i)) = out[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[i] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Layer of every node: the longest path from a node with no caller;
/// a component nobody calls that is not a source sits one layer before
/// its nearest callee, and one with no calls at all in the last layer.
pub(super) fn longest_path_layers(
    n: usize,
    dag: &[(usize, usize)],
    sources: &[bool],
) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indeg[b] += 1;
        out[a].push(b);
    }
    let mut layer = vec![0usize; n];
    let mut ready: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut left = indeg.clone();
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = ready.pop_front() {
        topo.push(v);
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            left[w] -= 1;
            if left[w] == 0 {
                ready.push_back(w);
            }
        }
    }
    let last = layer.iter().copied().max().unwrap_or(0);
    // Later nodes first, so that a chain of uncalled nodes moves as a whole.
    for &v in topo.iter().rev() {
        if indeg[v] != 0 || sources[v] {
            continue;
        }
        layer[v] = match out[v].iter().map(|&w| layer[w]).min() {
            Some(m) => m.saturating_sub(1).max(layer[v]),
            None if last > 0 => last,
            None => 0,
        };
    }
    layer
}

/// Order of the vertices in each layer: barycentre sweeps from the initial
/// index order, keeping the order with the fewest crossings.
pub(super) fn order_layers(
    vertices: &[Vertex],
    nlayers: usize,
    segments: &[(usize, usize)],
) -> Vec<Vec<usize>> {
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); nlayers];
    for (i, v) in vertices.iter().enumerate() {
        order[v.layer].push(i);
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for &(a, b) in segments {
        down[a].push(b);
        up[b].push(a);
    }
    let mut pos = vec![0usize; vertices.len()];
    let reindex = |order: &[Vec<usize>], pos: &mut [usize]| {
        for layer in order {
            for (k, &v) in layer.iter().enumerate() {
                pos[v] = k;
            }
        }
    };
    reindex(&order, &mut pos);
    let mut best = order.clone();
    let mut best_crossings = crossings(&order, &pos, &down);
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..nlayers).collect()
        } else {
            (0..nlayers.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let nbrs = if downward { &up } else { &down };
            let mut keyed: Vec<(f64, usize)> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &nbrs[v];
                    let key = if ns.is_empty() {
                        pos[v] as f64
                    } else {
                        ns.iter().map(|&u| pos[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, v)
                })
                .collect();
            // Stable: ties keep their current order.
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            order[l] = keyed.into_iter().map(|(_, v)| v).collect();
            for (k, &v) in order[l].iter().enumerate() {
                pos[v] = k;
            }
        }
        let c = crossings(&order, &pos, &down);
        if c < best_crossings {
            best_crossings = c;
            best = order.clone();
        }
    }
    best
}

/// Edge crossings between adjacent layers: inversions of the lower ends
/// when the segments are sorted by their upper ends (merge sort).
fn crossings(order: &[Vec<usize>], pos: &[usize], down: &[Vec<usize>]) -> u64 {
    let mut total = 0;
    for layer in order {
        let mut ends: Vec<usize> = Vec::new();
        for &v in layer {
            let mut lower: Vec<usize> = down[v].iter().map(|&w| pos[w]).collect();
            lower.sort_unstable();
            ends.extend(lower);
        }
        total += inversions(&mut ends);
    }
    total
}

fn inversions(v: &mut [usize]) -> u64 {
    if v.len() < 2 {
        return 0;
    }
    let mid = v.len() / 2;
    let mut n = inversions(&mut v[..mid]) + inversions(&mut v[mid..]);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if v[j] < v[i] {
            n += (mid - i) as u64;
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(inversions(&mut [0, 1, 2]), 0);
        assert_eq!(inversions(&mut [2, 1, 0]), 3);
        assert_eq!(inversions(&mut [1, 0, 1, 0]), 3);
    }

    #[test]
    fn back_edges_break_every_cycle() {
        // 0 -> 1 -> 2 -> 1, 2 -> 0.
        let pairs = [(0, 1), (1, 2), (2, 1), (2, 0)];
        let back = back_edges(3, &pairs, &[true, false, false]);
        assert_eq!(back, vec![false, false, true, true]);
        let dag: Vec<_> = pairs
            .iter()
            .zip(&back)
            .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
            .collect();
        let layers = longest_path_layers(3, &dag, &[true, false, false]);
        assert_eq!(layers, vec![0, 1, 2]);
    }

    #[test]
    fn uncalled_components_sit_before_their_callee_or_last() {
        // 0 (source) -> 1 -> 2; 3 -> 2 (uncalled); 4 alone.
        let dag = [(0, 1), (1, 2), (3, 2)];
        let sources = [true, false, false, false, false];
        let layers = longest_path_layers(5, &dag, &sources);
        assert_eq!(layers, vec![0, 1, 2, 1, 2]);
    }
}
