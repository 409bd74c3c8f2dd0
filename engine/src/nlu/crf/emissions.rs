//! Sparse emission weights: what the features of a token say about its tag.

use super::tags::TagSet;

/// Emission weights: for each feature row, the targets it was seen with and their
/// weights (CRFsuite's sparse "observed pairs" model, which keeps ~200-tag models small).
/// A target is a tag (`< n_tags`) or a tag class (`n_tags + class`), whose weight counts
/// for every tag of the class: rare labels borrow what other labels taught.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Emissions {
    /// Number of tags.
    pub n_tags: usize,
    /// The class of each tag ([`TagSet::class`]), `u16::MAX` for none.
    pub class_of: Vec<u16>,
    /// Row `r` owns pairs `offsets[r]..offsets[r + 1]`.
    pub offsets: Vec<u32>,
    /// Target of each pair.
    pub targets: Vec<u16>,
    /// Weight of each pair.
    pub weights: Vec<f32>,
}

impl Emissions {
    /// Empty rows for `tags`.
    pub fn new(tags: &TagSet) -> Self {
        let n = tags.len();
        Self {
            n_tags: n,
            class_of: (0..n)
                .map(|t| tags.class(t).map_or(u16::MAX, |c| c as u16))
                .collect(),
            offsets: vec![0],
            ..Self::default()
        }
    }

    /// Number of targets (tags, then classes).
    pub fn n_targets(&self) -> usize {
        self.n_tags + TagSet::CLASSES
    }

    /// The pair indices of row `row`.
    pub fn row(&self, row: u32) -> std::ops::Range<usize> {
        let r = row as usize;
        self.offsets[r] as usize..self.offsets[r + 1] as usize
    }

    /// Emission scores (`n × n_tags`, row-major) of tokens whose feature rows are `rows`.
    pub fn scores(&self, rows: &[Vec<u32>], out: &mut Vec<f64>) {
        let nt = self.n_tags;
        out.clear();
        out.resize(rows.len() * nt, 0.0);
        for (t, token_rows) in rows.iter().enumerate() {
            let scores = &mut out[t * nt..(t + 1) * nt];
            let mut classes = [0.0; TagSet::CLASSES];
            for &row in token_rows {
                for p in self.row(row) {
                    let target = usize::from(self.targets[p]);
                    let w = f64::from(self.weights[p]);
                    match scores.get_mut(target) {
                        Some(s) => *s += w,
                        None => classes[target - nt] += w,
                    }
                }
            }
            for (s, &c) in scores.iter_mut().zip(&self.class_of) {
                if let Some(w) = classes.get(usize::from(c)) {
                    *s += w;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::crf::tags::{Label, Part, TagScheme};

    #[test]
    fn emissions_add_tag_and_class_weights() {
        let labels = ["a", "b"].iter().map(|e| Label::new(e)).collect();
        let tags = TagSet::new(TagScheme::Bilou, labels);
        let mut e = Emissions::new(&tags);
        let nt = tags.len();
        let b_a = tags.tag(Part::Begin(0));
        let b_b = tags.tag(Part::Begin(1));
        let begin_class = tags.class(b_a).expect("B has a class");
        // Row 0: +1 for B-a and +0.5 for every B-*; row 1: +0.25 for O.
        e.targets = vec![b_a as u16, (nt + begin_class) as u16, tags.outside() as u16];
        e.weights = vec![1.0, 0.5, 0.25];
        e.offsets = vec![0, 2, 3];
        let mut out = Vec::new();
        e.scores(&[vec![0, 1], vec![1]], &mut out);
        assert_eq!(out[b_a], 1.5);
        assert_eq!(out[b_b], 0.5);
        assert_eq!(out[tags.outside()], 0.25);
        assert_eq!(out[nt + tags.outside()], 0.25);
        assert_eq!(out.iter().sum::<f64>(), 2.5);
    }
}
