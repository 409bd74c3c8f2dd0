//! The linear-chain CRF: sparse emission weights, transition weights restricted to valid
//! tag sequences, Viterbi decoding and forward–backward.
//!
//! Forward–backward runs in probability space with per-position scaling (as CRFsuite):
//! the same numbers as log space, but the inner loops are multiply-adds over slices
//! instead of `exp`/`ln` per transition, several times faster with ~200 tags. Emission
//! scores are shifted by their per-position maximum before `exp`, so nothing overflows.

use super::tags::{Preds, TagSet};
use std::ops::Range;

/// The transitions of a tag set, as CRFsuite models them: every valid transition is
/// allowed, but only those seen in training have a learned weight; the others weigh 0.
///
/// That makes the lattice sparse: the sum (or max) over a tag's predecessors is one sum
/// over the shared range of "open" predecessors, corrected by the few learned ones, so a
/// position costs O(tags + learned transitions) instead of O(tags²).
#[derive(Debug, Clone)]
pub struct Chain {
    /// Number of tags.
    pub n_tags: usize,
    /// Predecessors of each tag whose weight is 0 unless learned (empty for `I`/`L`).
    pub open: Vec<Range<usize>>,
    /// Predecessors of each tag with a learned weight, sorted.
    pub learned: Vec<Vec<usize>>,
    /// Whether each tag may start a sentence.
    pub start: Vec<bool>,
    /// Whether each tag may end a sentence.
    pub end: Vec<bool>,
}

impl Chain {
    /// The chain of `tags`, learning the transitions for which `learn(prev, next)` holds
    /// (the moves between `B-x`/`I-x` and `I-x`/`L-x` are always learned).
    pub fn new(tags: &TagSet, mut learn: impl FnMut(usize, usize) -> bool) -> Self {
        let n = tags.len();
        let mut open = Vec::with_capacity(n);
        let mut learned = Vec::with_capacity(n);
        for next in 0..n {
            match tags.preds(next) {
                Preds::Range(r) => {
                    learned.push(r.clone().filter(|&prev| learn(prev, next)).collect());
                    open.push(r);
                }
                Preds::Pair(a, b) => {
                    let mut pair = vec![a, b];
                    pair.sort_unstable();
                    learned.push(pair);
                    open.push(0..0);
                }
            }
        }
        Self {
            n_tags: n,
            open,
            learned,
            start: (0..n).map(|t| tags.can_start(t)).collect(),
            end: (0..n).map(|t| tags.can_end(t)).collect(),
        }
    }

    /// The learned transitions as `(prev, next)`.
    pub fn learned_pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.learned
            .iter()
            .enumerate()
            .flat_map(|(next, prevs)| prevs.iter().map(move |&prev| (prev, next)))
    }

    /// Whether `prev → next` is a valid transition.
    pub fn allows(&self, prev: usize, next: usize) -> bool {
        self.open[next].contains(&prev) || self.learned[next].binary_search(&prev).is_ok()
    }
}

/// Emission weights: for each feature row, the tags it was seen with and their weights
/// (CRFsuite's sparse "observed pairs" model, which keeps ~200-tag models small).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Emissions {
    /// Row `r` owns pairs `offsets[r]..offsets[r + 1]`.
    pub offsets: Vec<u32>,
    /// Tag of each pair.
    pub tags: Vec<u16>,
    /// Weight of each pair.
    pub weights: Vec<f32>,
}

impl Emissions {
    /// The pair indices of row `row`.
    pub fn row(&self, row: u32) -> std::ops::Range<usize> {
        let r = row as usize;
        self.offsets[r] as usize..self.offsets[r + 1] as usize
    }

    /// Emission scores (`n × n_tags`, row-major) of tokens whose feature rows are `rows`.
    pub fn scores(&self, rows: &[Vec<u32>], n_tags: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(rows.len() * n_tags, 0.0);
        for (t, token_rows) in rows.iter().enumerate() {
            let scores = &mut out[t * n_tags..(t + 1) * n_tags];
            for &row in token_rows {
                for p in self.row(row) {
                    scores[usize::from(self.tags[p])] += f64::from(self.weights[p]);
                }
            }
        }
    }
}

/// Transition weights, stored `[next][prev]`.
pub fn trans_index(n_tags: usize, prev: usize, next: usize) -> usize {
    next * n_tags + prev
}

/// The most likely valid tag sequence for `emissions` (`n × n_tags`) under `trans`.
pub fn viterbi(chain: &Chain, trans: &[f64], emissions: &[f64]) -> Vec<usize> {
    let tc = chain.n_tags;
    let n = emissions.len() / tc;
    if n == 0 {
        return Vec::new();
    }
    let mut delta: Vec<f64> = (0..tc)
        .map(|j| {
            if chain.start[j] {
                emissions[j]
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    let mut next = vec![0.0; tc];
    let mut back = vec![0u16; n * tc];
    // Open predecessors by decreasing score: the best one without a learned weight for
    // the next tag is then among the first few.
    let mut sorted: Vec<usize> = Vec::new();
    for t in 1..n {
        let mut sorted_range = 0..0;
        for j in 0..tc {
            let row = &trans[j * tc..(j + 1) * tc];
            let learned = &chain.learned[j];
            let mut best = (f64::NEG_INFINITY, 0);
            for &i in learned {
                let s = delta[i] + row[i];
                if s > best.0 {
                    best = (s, i);
                }
            }
            let open = &chain.open[j];
            if !open.is_empty() {
                if *open != sorted_range {
                    sorted.clear();
                    sorted.extend(open.clone());
                    sorted.sort_unstable_by(|&a, &b| delta[b].total_cmp(&delta[a]));
                    sorted_range = open.clone();
                }
                let unlearned = sorted.iter().find(|i| learned.binary_search(i).is_err());
                if let Some(&i) = unlearned
                    && delta[i] > best.0
                {
                    best = (delta[i], i);
                }
            }
            next[j] = best.0 + emissions[t * tc + j];
            back[t * tc + j] = best.1 as u16;
        }
        std::mem::swap(&mut delta, &mut next);
    }
    let mut last = (0..tc)
        .filter(|&j| chain.end[j])
        .max_by(|&a, &b| delta[a].total_cmp(&delta[b]))
        .unwrap_or(0);
    let mut path = vec![0; n];
    for t in (0..n).rev() {
        path[t] = last;
        last = usize::from(back[t * tc + last]);
    }
    path
}

/// `exp(w)` of a learned transition, less the 1 its open range already counted for it.
fn correction(chain: &Chain, m: &[f64], prev: usize, next: usize) -> f64 {
    let w = m[trans_index(chain.n_tags, prev, next)];
    if chain.open[next].contains(&prev) {
        w - 1.0
    } else {
        w
    }
}

/// Scaled forward–backward over one sentence: marginals, `log Z` and path probabilities.
#[derive(Debug, Default)]
pub struct ForwardBackward {
    n_tags: usize,
    /// `exp(emission - max)` per position.
    psi: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    /// Scaling factor per position.
    scale: Vec<f64>,
    /// The log partition function.
    pub log_z: f64,
}

impl ForwardBackward {
    /// Runs both passes; `exp_trans` is `exp` of the transition weights (1 where none is
    /// learned).
    pub fn run(&mut self, chain: &Chain, exp_trans: &[f64], emissions: &[f64]) {
        let tc = chain.n_tags;
        let n = emissions.len() / tc;
        self.n_tags = tc;
        self.psi.clear();
        self.psi.reserve(n * tc);
        let mut shift = 0.0;
        for t in 0..n {
            let e = &emissions[t * tc..(t + 1) * tc];
            let max = e.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            shift += max;
            self.psi.extend(e.iter().map(|&s| (s - max).exp()));
        }
        self.forward(chain, exp_trans, n);
        self.backward(chain, exp_trans, n);
        self.log_z += shift;
    }

    fn forward(&mut self, chain: &Chain, m: &[f64], n: usize) {
        let tc = self.n_tags;
        self.alpha.clear();
        self.alpha.resize(n * tc, 0.0);
        self.scale.clear();
        self.scale.resize(n + 1, 1.0);
        for j in 0..tc {
            if chain.start[j] {
                self.alpha[j] = self.psi[j];
            }
        }
        self.normalise(0);
        for t in 1..n {
            let (before, after) = self.alpha.split_at_mut(t * tc);
            let prev = &before[(t - 1) * tc..];
            let cur = &mut after[..tc];
            let mut open_sum = (0..0, 0.0);
            for (j, c) in cur.iter_mut().enumerate() {
                let open = &chain.open[j];
                if !open.is_empty() && *open != open_sum.0 {
                    open_sum = (open.clone(), prev[open.clone()].iter().sum());
                }
                let mut s = if open.is_empty() { 0.0 } else { open_sum.1 };
                for &i in &chain.learned[j] {
                    s += prev[i] * correction(chain, m, i, j);
                }
                *c = s * self.psi[t * tc + j];
            }
            self.normalise(t);
        }
        let last = &self.alpha[(n.saturating_sub(1)) * tc..];
        let end: f64 = (0..tc).filter(|&j| chain.end[j]).map(|j| last[j]).sum();
        self.scale[n] = end.max(f64::MIN_POSITIVE);
        self.log_z = self.scale.iter().map(|c| c.ln()).sum();
    }

    /// Scales position `t` of alpha to sum to 1, remembering the factor.
    fn normalise(&mut self, t: usize) {
        let tc = self.n_tags;
        let row = &mut self.alpha[t * tc..(t + 1) * tc];
        let c = row.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        row.iter_mut().for_each(|a| *a /= c);
        self.scale[t] = c;
    }

    fn backward(&mut self, chain: &Chain, m: &[f64], n: usize) {
        let tc = self.n_tags;
        self.beta.clear();
        self.beta.resize(n * tc, 0.0);
        for j in 0..tc {
            if chain.end[j] {
                self.beta[(n - 1) * tc + j] = 1.0 / self.scale[n];
            }
        }
        let mut v = vec![0.0; tc];
        let mut open_totals: Vec<(Range<usize>, f64)> = Vec::new();
        for t in (0..n.saturating_sub(1)).rev() {
            self.weighted_next(t + 1, &mut v);
            open_totals.clear();
            for (j, &vj) in v.iter().enumerate() {
                let open = &chain.open[j];
                if open.is_empty() {
                    continue;
                }
                match open_totals.iter_mut().find(|(r, _)| r == open) {
                    Some((_, total)) => *total += vj,
                    None => open_totals.push((open.clone(), vj)),
                }
            }
            let cur = &mut self.beta[t * tc..(t + 1) * tc];
            for (r, total) in &open_totals {
                cur[r.clone()].iter_mut().for_each(|b| *b += total);
            }
            for (j, &vj) in v.iter().enumerate() {
                for &i in &chain.learned[j] {
                    cur[i] += correction(chain, m, i, j) * vj;
                }
            }
        }
    }

    /// `psi_t(j) * beta_t(j) / c_t`: what position `t` contributes to its predecessors.
    fn weighted_next(&self, t: usize, v: &mut [f64]) {
        let tc = self.n_tags;
        for (j, out) in v.iter_mut().enumerate() {
            *out = self.psi[t * tc + j] * self.beta[t * tc + j] / self.scale[t];
        }
    }

    /// P(tag at position `t` = `j`).
    pub fn marginal(&self, t: usize, j: usize) -> f64 {
        let i = t * self.n_tags + j;
        self.alpha[i] * self.beta[i]
    }

    /// Adds the expected count of every learned transition to `out` (`[next][prev]`).
    pub fn add_expected_transitions(&self, chain: &Chain, m: &[f64], out: &mut [f64]) {
        let tc = self.n_tags;
        let n = self.alpha.len() / tc.max(1);
        let mut v = vec![0.0; tc];
        for t in 1..n {
            self.weighted_next(t, &mut v);
            let prev = &self.alpha[(t - 1) * tc..t * tc];
            for (j, &vj) in v.iter().enumerate() {
                for &i in &chain.learned[j] {
                    let k = trans_index(tc, i, j);
                    out[k] += prev[i] * m[k] * vj;
                }
            }
        }
    }

    /// P(positions `first..first + tags.len()` carry exactly `tags`).
    pub fn path_probability(&self, m: &[f64], first: usize, tags: &[usize]) -> f64 {
        let tc = self.n_tags;
        let (Some(&head), Some(&tail)) = (tags.first(), tags.last()) else {
            return 0.0;
        };
        let mut p = self.alpha[first * tc + head];
        for (k, pair) in tags.windows(2).enumerate() {
            let t = first + k + 1;
            p *= m[trans_index(tc, pair[0], pair[1])] * self.psi[t * tc + pair[1]] / self.scale[t];
        }
        p * self.beta[(first + tags.len() - 1) * tc + tail]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::crf::tags::{Label, TagScheme};

    fn chain() -> (TagSet, Chain) {
        let labels = ["a", "b"]
            .iter()
            .map(|e| Label {
                entity: (*e).into(),
                role: None,
                group: None,
            })
            .collect();
        let tags = TagSet::new(TagScheme::Bilou, labels);
        // Learn some open transitions and not others, as training would.
        let chain = Chain::new(&tags, |prev, next| (prev * 7 + next * 3) % 4 != 0);
        (tags, chain)
    }

    /// Every valid tag sequence of length `n` with its score, by brute force.
    fn all_paths(chain: &Chain, trans: &[f64], em: &[f64], n: usize) -> Vec<(Vec<usize>, f64)> {
        let tc = chain.n_tags;
        let mut out = Vec::new();
        let total = tc.pow(n as u32);
        for code in 0..total {
            let path: Vec<usize> = (0..n).map(|t| code / tc.pow(t as u32) % tc).collect();
            let valid = chain.start[path[0]]
                && chain.end[path[n - 1]]
                && path.windows(2).all(|w| chain.allows(w[0], w[1]));
            if valid {
                let mut s: f64 = path.iter().enumerate().map(|(t, &j)| em[t * tc + j]).sum();
                s += path
                    .windows(2)
                    .map(|w| trans[trans_index(tc, w[0], w[1])])
                    .sum::<f64>();
                out.push((path, s));
            }
        }
        out
    }

    fn pseudo_random(n: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) as f64 / (1u64 << 31) as f64) * 4.0 - 2.0
            })
            .collect()
    }

    #[test]
    fn viterbi_and_forward_backward_match_brute_force() {
        let (_, chain) = chain();
        let tc = chain.n_tags;
        let n = 4;
        let mut trans = vec![0.0; tc * tc];
        let random = pseudo_random(tc * tc, 7);
        for (prev, next) in chain.learned_pairs() {
            let k = trans_index(tc, prev, next);
            trans[k] = random[k];
        }
        let em = pseudo_random(n * tc, 11);
        let paths = all_paths(&chain, &trans, &em, n);
        let best = paths
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("some valid path");
        assert_eq!(viterbi(&chain, &trans, &em), best.0);

        let log_z = paths.iter().map(|p| p.1.exp()).sum::<f64>().ln();
        let exp_trans: Vec<f64> = trans.iter().map(|w| w.exp()).collect();
        let mut fb = ForwardBackward::default();
        fb.run(&chain, &exp_trans, &em);
        assert!((fb.log_z - log_z).abs() < 1e-9);

        let z = log_z.exp();
        let marginal = |t: usize, j: usize| -> f64 {
            paths
                .iter()
                .filter(|p| p.0[t] == j)
                .map(|p| p.1.exp())
                .sum::<f64>()
                / z
        };
        for t in 0..n {
            for j in 0..tc {
                assert!((fb.marginal(t, j) - marginal(t, j)).abs() < 1e-9);
            }
        }
        let sub = &best.0[1..3];
        let p_sub = paths
            .iter()
            .filter(|p| &p.0[1..3] == sub)
            .map(|p| p.1.exp())
            .sum::<f64>()
            / z;
        assert!((fb.path_probability(&exp_trans, 1, sub) - p_sub).abs() < 1e-9);

        let mut expected = vec![0.0; tc * tc];
        fb.add_expected_transitions(&chain, &exp_trans, &mut expected);
        for (p, q) in chain.learned_pairs() {
            let brute: f64 = paths
                .iter()
                .map(|path| {
                    let count = path.0.windows(2).filter(|w| w[0] == p && w[1] == q).count();
                    count as f64 * path.1.exp()
                })
                .sum::<f64>()
                / z;
            assert!((expected[trans_index(tc, p, q)] - brute).abs() < 1e-9);
        }
    }

    #[test]
    fn emissions_add_the_weights_of_each_row() {
        let e = Emissions {
            offsets: vec![0, 2, 3],
            tags: vec![0, 2, 2],
            weights: vec![1.0, 0.5, 0.25],
        };
        let mut out = Vec::new();
        e.scores(&[vec![0, 1], vec![1]], 3, &mut out);
        assert_eq!(out, [1.0, 0.0, 0.75, 0.0, 0.0, 0.25]);
    }
}
