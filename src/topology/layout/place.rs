//! Placement: the height of every vertex (as close to its neighbours' as
//! the minimum gaps allow), and where edges attach to a box's sides.

use super::{Vertex, DUMMY_GAP, GAP, MARGIN, PLACEMENT_PASSES};

/// Centre heights of the vertices: each layer in its order, as close as
/// the gaps allow to the mean of its neighbours' in the layer before (down
/// passes) or after (up passes).
pub(super) fn place_vertically(
    vertices: &[Vertex],
    order: &[Vec<usize>],
    segments: &[(usize, usize)],
) -> Vec<f64> {
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for &(a, b) in segments {
        down[a].push(b);
        up[b].push(a);
    }
    // Minimum distance between the centres of consecutive vertices.
    let sep = |a: &Vertex, b: &Vertex| {
        let gap = if a.dummy || b.dummy { DUMMY_GAP } else { GAP };
        a.h / 2.0 + gap + b.top + b.h / 2.0
    };
    let mut y = vec![0.0f64; vertices.len()];
    for layer in order {
        let mut at = 0.0;
        for (k, &v) in layer.iter().enumerate() {
            if k > 0 {
                at += sep(&vertices[layer[k - 1]], &vertices[v]);
            }
            y[v] = at;
        }
    }
    let nlayers = order.len();
    for pass in 0..PLACEMENT_PASSES {
        let downward = pass % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..nlayers).collect()
        } else {
            (0..nlayers.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let nbrs = if downward { &up } else { &down };
            let want: Vec<f64> = order[l]
                .iter()
                .map(|&v| {
                    let ns = &nbrs[v];
                    if ns.is_empty() {
                        y[v]
                    } else {
                        ns.iter().map(|&u| y[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let gaps: Vec<f64> = order[l]
                .windows(2)
                .map(|w| sep(&vertices[w[0]], &vertices[w[1]]))
                .collect();
            for (&v, yv) in order[l].iter().zip(isotonic(&want, &gaps)) {
                y[v] = yv;
            }
        }
    }
    // Shift so that the highest top (self-loops included) is at the margin.
    let top = order
        .iter()
        .flatten()
        .map(|&v| y[v] - vertices[v].h / 2.0 - vertices[v].top)
        .fold(f64::INFINITY, f64::min);
    let shift = if top.is_finite() { MARGIN - top } else { 0.0 };
    y.iter().map(|v| v + shift).collect()
}

/// Positions closest (least squares) to `want` that keep at least `gaps[k]`
/// between the k-th and the next: pool-adjacent-violators on the positions
/// less their cumulative gaps.
fn isotonic(want: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(want.len());
    let mut acc = 0.0;
    for k in 0..want.len() {
        if k > 0 {
            acc += gaps[k - 1];
        }
        offset.push(acc);
    }
    // Blocks of (sum, count) whose means increase.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (w, o) in want.iter().zip(&offset) {
        blocks.push((w - o, 1));
        while blocks.len() > 1 {
            let (s1, c1) = blocks[blocks.len() - 1];
            let (s0, c0) = blocks[blocks.len() - 2];
            if s0 / c0 as f64 > s1 / c1 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s0 + s1, c0 + c1);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(want.len());
    for (s, c) in blocks {
        for _ in 0..c {
            out.push(s / c as f64);
        }
    }
    out.iter().zip(&offset).map(|(z, o)| z + o).collect()
}

/// Where edges attach to a box: spread over its side in the order of
/// their other ends, so that they do not all leave from one point.
pub(super) struct Ports {
    /// Per segment: the height where it leaves its upper vertex's right
    /// side and where it enters its lower vertex's left side.
    pub(super) at: Vec<(f64, f64)>,
}

impl Ports {
    pub(super) fn new(vertices: &[Vertex], ys: &[f64], segments: &[(usize, usize)]) -> Ports {
        let mut at: Vec<(f64, f64)> = segments.iter().map(|&(a, b)| (ys[a], ys[b])).collect();
        let mut right: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
        let mut left: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
        for (i, &(a, b)) in segments.iter().enumerate() {
            right[a].push(i);
            left[b].push(i);
        }
        for (v, vx) in vertices.iter().enumerate() {
            if vx.dummy {
                continue;
            }
            for (side, is_right) in [(&mut right[v], true), (&mut left[v], false)] {
                let other = |i: usize| {
                    if is_right {
                        segments[i].1
                    } else {
                        segments[i].0
                    }
                };
                side.sort_by(|&i, &j| ys[other(i)].total_cmp(&ys[other(j)]).then(i.cmp(&j)));
                let k = side.len();
                let step = (vx.h * 0.6 / k.max(1) as f64).min(8.0);
                for (rank, &i) in side.iter().enumerate() {
                    let y = ys[v] + (rank as f64 - (k as f64 - 1.0) / 2.0) * step;
                    if is_right {
                        at[i].0 = y;
                    } else {
                        at[i].1 = y;
                    }
                }
            }
        }
        Ports { at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_keeps_gaps_and_order() {
        // Everyone wants 0: spread around it, 10 apart.
        let y = isotonic(&[0.0, 0.0, 0.0], &[10.0, 10.0]);
        assert_eq!(y, vec![-10.0, 0.0, 10.0]);
        // Far apart already: unchanged.
        let y = isotonic(&[0.0, 50.0, 100.0], &[10.0, 10.0]);
        assert_eq!(y, vec![0.0, 50.0, 100.0]);
        // Out of order wishes are pooled.
        let y = isotonic(&[30.0, 0.0], &[10.0]);
        assert_eq!(y, vec![10.0, 20.0]);
    }
}
