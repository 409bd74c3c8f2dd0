//! Transitions between tags: which are valid, which have a weight of their own, and the
//! weights shared by all labels.
//!
//! As in CRFsuite, every valid transition is allowed but only those seen in training get
//! a weight of their own. On top, every transition has a weight shared by its tag
//! classes (`U-* → O`, `O → B-*`, ...), so a label seen only at the end of sentences
//! still learns that an entity may be followed by more words.
//!
//! This keeps the lattice sparse: the sum (or max) over a tag's predecessors is one sum
//! per class over the shared range of predecessors, corrected for the few with weights
//! of their own, so a position costs O(tags + own transitions), not O(tags²).

use super::tags::{Preds, TagSet};
use std::ops::Range;

/// Number of transition classes: the entity classes of [`TagSet::class`] and `O`.
pub const CLASSES: usize = TagSet::CLASSES + 1;

/// Weights are stored `[next][prev]`.
pub fn trans_index(n_tags: usize, prev: usize, next: usize) -> usize {
    next * n_tags + prev
}

/// The valid transitions of a tag set and which of them have a weight of their own.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Number of tags.
    pub n_tags: usize,
    /// Transition class of each tag.
    pub class: Vec<usize>,
    /// Predecessors of each tag weighted by class only, unless in `own` (empty for
    /// `I`/`L`, whose two predecessors are always in `own`).
    pub open: Vec<Range<usize>>,
    /// Predecessors of each tag with a weight of their own, sorted.
    pub own: Vec<Vec<usize>>,
    /// The same as a bit set per tag (`words` u64 each), for constant-time lookups.
    own_bits: Vec<u64>,
    words: usize,
    /// Whether each tag may start a sentence.
    pub start: Vec<bool>,
    /// Whether each tag may end a sentence.
    pub end: Vec<bool>,
}

impl Chain {
    /// The chain of `tags`, giving a weight of their own to the transitions for which
    /// `own(prev, next)` holds (and always to those into `I-x`/`L-x`).
    pub fn new(tags: &TagSet, mut own: impl FnMut(usize, usize) -> bool) -> Self {
        let n = tags.len();
        let mut open = Vec::with_capacity(n);
        let mut owned = Vec::with_capacity(n);
        for next in 0..n {
            match tags.preds(next) {
                Preds::Range(r) => {
                    owned.push(r.clone().filter(|&prev| own(prev, next)).collect());
                    open.push(r);
                }
                Preds::Pair(a, b) => {
                    let mut pair = vec![a, b];
                    pair.sort_unstable();
                    owned.push(pair);
                    open.push(0..0);
                }
            }
        }
        let words = n.div_ceil(64);
        let mut own_bits = vec![0u64; n * words];
        for (next, prevs) in owned.iter().enumerate() {
            for &prev in prevs {
                own_bits[next * words + prev / 64] |= 1 << (prev % 64);
            }
        }
        Self {
            n_tags: n,
            own_bits,
            words,
            class: (0..n)
                .map(|t| tags.class(t).unwrap_or(TagSet::CLASSES))
                .collect(),
            open,
            own: owned,
            start: (0..n).map(|t| tags.can_start(t)).collect(),
            end: (0..n).map(|t| tags.can_end(t)).collect(),
        }
    }

    /// The transitions with a weight of their own, as `(prev, next)`.
    pub fn own_pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.own
            .iter()
            .enumerate()
            .flat_map(|(next, prevs)| prevs.iter().map(move |&prev| (prev, next)))
    }

    /// Whether `prev → next` is a valid transition.
    pub fn allows(&self, prev: usize, next: usize) -> bool {
        self.open[next].contains(&prev) || self.has_own(prev, next)
    }

    /// Whether `prev → next` has a weight of its own.
    pub fn has_own(&self, prev: usize, next: usize) -> bool {
        self.own_bits[next * self.words + prev / 64] >> (prev % 64) & 1 == 1
    }

    /// Index of the class pair of `prev → next` in [`Transitions::shared`].
    pub fn class_index(&self, prev: usize, next: usize) -> usize {
        self.class[prev] * CLASSES + self.class[next]
    }
}

/// Transition weights: shared by class pair, plus each transition's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Transitions {
    /// `[prev class][next class]`.
    pub shared: Vec<f64>,
    /// `[next][prev]`; zero where the chain gives no weight of its own.
    pub own: Vec<f64>,
}

impl Transitions {
    /// All zero.
    pub fn new(n_tags: usize) -> Self {
        Self {
            shared: vec![0.0; CLASSES * CLASSES],
            own: vec![0.0; n_tags * n_tags],
        }
    }

    /// The weight of `prev → next`.
    pub fn weight(&self, chain: &Chain, prev: usize, next: usize) -> f64 {
        self.shared[chain.class_index(prev, next)] + self.own[trans_index(chain.n_tags, prev, next)]
    }

    /// `exp` of the weights, for forward–backward.
    pub fn potentials(&self, chain: &Chain) -> Potentials {
        let mut p = Potentials {
            own: vec![0.0; self.own.len()],
            ..Potentials::default()
        };
        self.refresh(chain, &mut p);
        p
    }

    /// Recomputes `p` after the weights changed.
    pub fn refresh(&self, chain: &Chain, p: &mut Potentials) {
        p.log_shared.clone_from(&self.shared);
        p.shared.clear();
        p.shared.extend(self.shared.iter().map(|w| w.exp()));
        for (prev, next) in chain.own_pairs() {
            p.own[trans_index(chain.n_tags, prev, next)] = self.weight(chain, prev, next).exp();
        }
        p.correction.resize(chain.n_tags, Vec::new());
        p.log_own.resize(chain.n_tags, Vec::new());
        for (next, prevs) in chain.own.iter().enumerate() {
            let log_row = &mut p.log_own[next];
            log_row.clear();
            log_row.extend(prevs.iter().map(|&prev| self.weight(chain, prev, next)));
            let row = &mut p.correction[next];
            row.clear();
            for &prev in prevs {
                let m = p.own[trans_index(chain.n_tags, prev, next)];
                row.push(if chain.open[next].contains(&prev) {
                    m - p.shared[chain.class_index(prev, next)]
                } else {
                    m
                });
            }
        }
    }
}

/// What the lattice needs of [`Transitions`], precomputed: `exp` of the weights per class
/// pair and of own transitions, and the weights by next tag for Viterbi.
#[derive(Debug, Clone, Default)]
pub struct Potentials {
    /// `exp(shared)`, `[prev class][next class]`.
    pub shared: Vec<f64>,
    /// `exp(shared + own)` of own transitions, `[next][prev]`.
    pub own: Vec<f64>,
    /// Per tag, aligned with [`Chain::own`]: what each own transition adds beyond the
    /// class potential its open range already counts for it.
    pub correction: Vec<Vec<f64>>,
    /// The weights themselves, for Viterbi: per class pair, and per tag aligned with
    /// [`Chain::own`].
    pub log_shared: Vec<f64>,
    /// See `log_shared`.
    pub log_own: Vec<Vec<f64>>,
}

impl Potentials {
    /// `exp` of the weight of the valid transition `prev → next`.
    pub fn get(&self, chain: &Chain, prev: usize, next: usize) -> f64 {
        if chain.has_own(prev, next) {
            self.own[trans_index(chain.n_tags, prev, next)]
        } else {
            self.shared[chain.class_index(prev, next)]
        }
    }
}
