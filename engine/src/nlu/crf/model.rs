//! Inference over the tag lattice: Viterbi decoding and forward–backward.
//!
//! Forward–backward runs in probability space with per-position scaling (as CRFsuite):
//! the same numbers as log space, but the inner loops are multiply-adds instead of
//! `exp`/`ln` per transition. Emission scores are shifted by their per-position maximum
//! before `exp`, so nothing overflows.

use super::chain::{CLASSES, Chain, Potentials, trans_index};
use std::ops::Range;

/// Per class, the sum of `values` over the tags of `range` in that class.
fn class_sums(chain: &Chain, range: &Range<usize>, values: &[f64]) -> [f64; CLASSES] {
    let mut sums = [0.0; CLASSES];
    for i in range.clone() {
        sums[chain.class[i]] += values[i];
    }
    sums
}

/// Per class, the few best-scoring tags of an open range, best first: the best open
/// predecessor a tag has no own transition from is nearly always among them.
#[derive(Default)]
struct TopK {
    best: [[(f64, usize); TopK::K]; CLASSES],
    len: [usize; CLASSES],
    /// Whether a class has more members than it keeps.
    more: [bool; CLASSES],
}

impl TopK {
    const K: usize = 4;

    fn fill(&mut self, chain: &Chain, range: &Range<usize>, delta: &[f64]) {
        self.len = [0; CLASSES];
        self.more = [false; CLASSES];
        for i in range.clone() {
            let c = chain.class[i];
            let (list, len) = (&mut self.best[c], &mut self.len[c]);
            let d = delta[i];
            if *len == Self::K {
                self.more[c] = true;
                if d <= list[Self::K - 1].0 {
                    continue;
                }
                *len -= 1;
            }
            // Insertion into the short sorted list; ties keep the lower tag first.
            let mut k = *len;
            while k > 0 && list[k - 1].0 < d {
                list[k] = list[k - 1];
                k -= 1;
            }
            list[k] = (d, i);
            *len += 1;
        }
    }

    /// The best tag of class `c` in `range` without an own transition into `next`.
    fn best_without(
        &self,
        c: usize,
        next: usize,
        chain: &Chain,
        range: &Range<usize>,
        delta: &[f64],
    ) -> Option<usize> {
        let kept = &self.best[c][..self.len[c]];
        if let Some(&(_, i)) = kept.iter().find(|&&(_, i)| !chain.has_own(i, next)) {
            return Some(i);
        }
        if !self.more[c] {
            return None;
        }
        // Every kept one has an own transition: scan the class.
        range
            .clone()
            .filter(|&i| chain.class[i] == c && !chain.has_own(i, next))
            .fold(None, |best: Option<usize>, i| match best {
                Some(b) if delta[b] >= delta[i] => Some(b),
                _ => Some(i),
            })
    }
}

/// The most likely valid tag sequence for `emissions` (`n × n_tags`).
pub fn viterbi(chain: &Chain, pot: &Potentials, emissions: &[f64]) -> Vec<usize> {
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
    let mut top = TopK::default();
    for t in 1..n {
        let mut top_range = 0..0;
        for j in 0..tc {
            let mut best = (f64::NEG_INFINITY, 0);
            for (&i, &w) in chain.own[j].iter().zip(&pot.log_own[j]) {
                let s = delta[i] + w;
                if s > best.0 {
                    best = (s, i);
                }
            }
            let open = &chain.open[j];
            if !open.is_empty() {
                if *open != top_range {
                    top.fill(chain, open, &delta);
                    top_range = open.clone();
                }
                for c in 0..CLASSES {
                    let Some(i) = top.best_without(c, j, chain, open, &delta) else {
                        continue;
                    };
                    let s = delta[i] + pot.log_shared[chain.class_index(i, j)];
                    if s > best.0 {
                        best = (s, i);
                    }
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
    /// Runs both passes.
    pub fn run(&mut self, chain: &Chain, pot: &Potentials, emissions: &[f64]) {
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
        self.forward(chain, pot, n);
        self.backward(chain, pot, n);
        self.log_z += shift;
    }

    fn forward(&mut self, chain: &Chain, pot: &Potentials, n: usize) {
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
            let mut sums = (0..0, [0.0; CLASSES]);
            for (j, c) in cur.iter_mut().enumerate() {
                let open = &chain.open[j];
                let mut s = 0.0;
                if !open.is_empty() {
                    if *open != sums.0 {
                        sums = (open.clone(), class_sums(chain, open, prev));
                    }
                    let cj = chain.class[j];
                    for (k, a) in sums.1.iter().enumerate() {
                        s += pot.shared[k * CLASSES + cj] * a;
                    }
                }
                for (&i, &m) in chain.own[j].iter().zip(&pot.correction[j]) {
                    s += prev[i] * m;
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

    /// Per distinct open range, the sum of `v` over the next tags using it, per class.
    fn open_totals(chain: &Chain, v: &[f64], out: &mut Vec<(Range<usize>, [f64; CLASSES])>) {
        out.clear();
        for (j, &vj) in v.iter().enumerate() {
            let open = &chain.open[j];
            if open.is_empty() {
                continue;
            }
            let slot = match out.iter().position(|(r, _)| r == open) {
                Some(k) => k,
                None => {
                    out.push((open.clone(), [0.0; CLASSES]));
                    out.len() - 1
                }
            };
            out[slot].1[chain.class[j]] += vj;
        }
    }

    fn backward(&mut self, chain: &Chain, pot: &Potentials, n: usize) {
        let tc = self.n_tags;
        self.beta.clear();
        self.beta.resize(n * tc, 0.0);
        for j in 0..tc {
            if chain.end[j] {
                self.beta[(n - 1) * tc + j] = 1.0 / self.scale[n];
            }
        }
        let mut v = vec![0.0; tc];
        let mut totals = Vec::new();
        for t in (0..n.saturating_sub(1)).rev() {
            self.weighted_next(t + 1, &mut v);
            Self::open_totals(chain, &v, &mut totals);
            let cur = &mut self.beta[t * tc..(t + 1) * tc];
            for (r, total) in &totals {
                // What a predecessor of each class receives from the whole range.
                let mut per_class = [0.0; CLASSES];
                for (c, x) in per_class.iter_mut().enumerate() {
                    *x = (0..CLASSES)
                        .map(|k| pot.shared[c * CLASSES + k] * total[k])
                        .sum();
                }
                for i in r.clone() {
                    cur[i] += per_class[chain.class[i]];
                }
            }
            for (j, &vj) in v.iter().enumerate() {
                for (&i, &m) in chain.own[j].iter().zip(&pot.correction[j]) {
                    cur[i] += m * vj;
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

    /// Adds the expected count of every weight in `Transitions` to `shared` and `own`
    /// (laid out like [`Transitions`]).
    pub fn add_expected_transitions(
        &self,
        chain: &Chain,
        pot: &Potentials,
        shared: &mut [f64],
        own: &mut [f64],
    ) {
        let tc = self.n_tags;
        let n = self.alpha.len() / tc.max(1);
        let mut v = vec![0.0; tc];
        let mut totals = Vec::new();
        for t in 1..n {
            self.weighted_next(t, &mut v);
            let prev = &self.alpha[(t - 1) * tc..t * tc];
            Self::open_totals(chain, &v, &mut totals);
            for (r, total) in &totals {
                let sums = class_sums(chain, r, prev);
                for (c, a) in sums.iter().enumerate() {
                    for (k, vk) in total.iter().enumerate() {
                        shared[c * CLASSES + k] += pot.shared[c * CLASSES + k] * a * vk;
                    }
                }
            }
            for (j, &vj) in v.iter().enumerate() {
                for (&i, &m) in chain.own[j].iter().zip(&pot.correction[j]) {
                    let k = trans_index(tc, i, j);
                    own[k] += prev[i] * pot.own[k] * vj;
                    shared[chain.class_index(i, j)] += prev[i] * m * vj;
                }
            }
        }
    }

    /// P(positions `first..first + tags.len()` carry exactly `tags`).
    pub fn path_probability(
        &self,
        chain: &Chain,
        pot: &Potentials,
        first: usize,
        tags: &[usize],
    ) -> f64 {
        let tc = self.n_tags;
        let (Some(&head), Some(&tail)) = (tags.first(), tags.last()) else {
            return 0.0;
        };
        let mut p = self.alpha[first * tc + head];
        for (k, pair) in tags.windows(2).enumerate() {
            let t = first + k + 1;
            p *= pot.get(chain, pair[0], pair[1]) * self.psi[t * tc + pair[1]] / self.scale[t];
        }
        p * self.beta[(first + tags.len() - 1) * tc + tail]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::crf::chain::Transitions;
    use crate::nlu::crf::tags::{Label, TagScheme, TagSet};

    fn chain(scheme: TagScheme, n_labels: usize) -> Chain {
        let labels = ["a", "b", "c", "d", "e", "f"][..n_labels]
            .iter()
            .map(|e| Label::new(e))
            .collect();
        // Some transitions with a weight of their own, others not, as training would.
        Chain::new(&TagSet::new(scheme, labels), |prev, next| {
            (prev * 7 + next * 3) % 4 != 0
        })
    }

    /// Every valid tag sequence of length `n` with its score, by brute force.
    fn all_paths(
        chain: &Chain,
        trans: &Transitions,
        em: &[f64],
        n: usize,
    ) -> Vec<(Vec<usize>, f64)> {
        let tc = chain.n_tags;
        let mut out = Vec::new();
        for code in 0..tc.pow(n as u32) {
            let path: Vec<usize> = (0..n).map(|t| code / tc.pow(t as u32) % tc).collect();
            let valid = chain.start[path[0]]
                && chain.end[path[n - 1]]
                && path.windows(2).all(|w| chain.allows(w[0], w[1]));
            if valid {
                let emit: f64 = path.iter().enumerate().map(|(t, &j)| em[t * tc + j]).sum();
                let moves: f64 = path
                    .windows(2)
                    .map(|w| trans.weight(chain, w[0], w[1]))
                    .sum();
                out.push((path, emit + moves));
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

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn viterbi_and_forward_backward_match_brute_force() {
        // Two labels over four tokens, and six (more tags per class than Viterbi keeps
        // at hand) over three.
        for (scheme, labels, n) in [
            (TagScheme::Bilou, 2, 4),
            (TagScheme::Bio, 2, 4),
            (TagScheme::Bilou, 6, 3),
            (TagScheme::Bio, 6, 3),
        ] {
            let chain = chain(scheme, labels);
            let tc = chain.n_tags;
            let mut trans = Transitions::new(tc);
            trans.shared = pseudo_random(CLASSES * CLASSES, 3);
            let random = pseudo_random(tc * tc, 7);
            for (prev, next) in chain.own_pairs() {
                let k = trans_index(tc, prev, next);
                trans.own[k] = random[k];
            }
            let em = pseudo_random(n * tc, 11);
            let paths = all_paths(&chain, &trans, &em, n);
            let prob = |keep: &dyn Fn(&[usize]) -> f64| -> f64 {
                let z: f64 = paths.iter().map(|p| p.1.exp()).sum();
                paths.iter().map(|p| keep(&p.0) * p.1.exp()).sum::<f64>() / z
            };
            let best = paths
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .expect("some valid path");
            let pot = trans.potentials(&chain);
            assert_eq!(viterbi(&chain, &pot, &em), best.0);

            let mut fb = ForwardBackward::default();
            fb.run(&chain, &pot, &em);
            let log_z = paths.iter().map(|p| p.1.exp()).sum::<f64>().ln();
            assert!(close(fb.log_z, log_z));
            for t in 0..n {
                for j in 0..tc {
                    let brute = prob(&|p| f64::from(u8::from(p[t] == j)));
                    assert!(close(fb.marginal(t, j), brute));
                }
            }
            let sub = &best.0[1..3];
            let brute = prob(&|p| f64::from(u8::from(&p[1..3] == sub)));
            assert!(close(fb.path_probability(&chain, &pot, 1, sub), brute));

            let mut shared = vec![0.0; CLASSES * CLASSES];
            let mut own = vec![0.0; tc * tc];
            fb.add_expected_transitions(&chain, &pot, &mut shared, &mut own);
            let count = |p: &[usize], hit: &dyn Fn(usize, usize) -> bool| -> f64 {
                p.windows(2).filter(|w| hit(w[0], w[1])).count() as f64
            };
            for (a, b) in chain.own_pairs() {
                let brute = prob(&|p| count(p, &|x, y| x == a && y == b));
                assert!(close(own[trans_index(tc, a, b)], brute));
            }
            for (k, &got) in shared.iter().enumerate() {
                let brute = prob(&|p| count(p, &|x, y| chain.class_index(x, y) == k));
                assert!(close(got, brute), "class pair {k}");
            }
        }
    }
}
