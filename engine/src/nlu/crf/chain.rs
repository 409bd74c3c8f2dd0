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
        Self {
            n_tags: n,
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
        self.open[next].contains(&prev) || self.own[next].binary_search(&prev).is_ok()
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
            shared: Vec::new(),
            own: vec![0.0; self.own.len()],
        };
        self.refresh(chain, &mut p);
        p
    }

    /// Recomputes `p` after the weights changed.
    pub fn refresh(&self, chain: &Chain, p: &mut Potentials) {
        p.shared.clear();
        p.shared.extend(self.shared.iter().map(|w| w.exp()));
        for (prev, next) in chain.own_pairs() {
            p.own[trans_index(chain.n_tags, prev, next)] = self.weight(chain, prev, next).exp();
        }
    }
}

/// `exp` of [`Transitions`]: per class pair, and the full weight of own transitions.
#[derive(Debug, Clone, Default)]
pub struct Potentials {
    /// `exp(shared)`, `[prev class][next class]`.
    pub shared: Vec<f64>,
    /// `exp(shared + own)` of own transitions, `[next][prev]`.
    pub own: Vec<f64>,
}

impl Potentials {
    /// `exp` of the weight of the valid transition `prev → next`.
    pub fn get(&self, chain: &Chain, prev: usize, next: usize) -> f64 {
        if chain.own[next].binary_search(&prev).is_ok() {
            self.own[trans_index(chain.n_tags, prev, next)]
        } else {
            self.shared[chain.class_index(prev, next)]
        }
    }

    /// What an own transition adds beyond the class potential its open range already
    /// counted for it.
    pub fn correction(&self, chain: &Chain, prev: usize, next: usize) -> f64 {
        let m = self.own[trans_index(chain.n_tags, prev, next)];
        if chain.open[next].contains(&prev) {
            m - self.shared[chain.class_index(prev, next)]
        } else {
            m
        }
    }
}
