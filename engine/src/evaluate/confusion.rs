//! The intent confusion matrix and Rasa's `confused_with` pick.

use serde::{Deserialize, Serialize, Serializer, ser::SerializeMap};
use std::collections::BTreeSet;

/// How often each gold label was predicted as each label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// Every gold or predicted label, sorted (sklearn's `unique_labels`).
    pub labels: Vec<String>,
    /// `counts[gold][predicted]`, indexed like `labels`.
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionMatrix {
    /// Counts `(gold, predicted)` pairs.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let labels: Vec<String> = pairs
            .iter()
            .flat_map(|&(g, p)| [g, p])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut counts = vec![vec![0; labels.len()]; labels.len()];
        for &(gold, predicted) in pairs {
            // Both are in `labels` by construction, so the lookups cannot miss.
            if let (Some(g), Some(p)) = (index_of(&labels, gold), index_of(&labels, predicted)) {
                counts[g][p] += 1;
            }
        }
        Self { labels, counts }
    }

    /// Number of pairs counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Number of pairs on the diagonal.
    pub fn correct(&self) -> usize {
        (0..self.labels.len()).map(|i| self.counts[i][i]).sum()
    }

    /// Gold items of label `i`.
    pub fn row_sum(&self, i: usize) -> usize {
        self.counts[i].iter().sum()
    }

    /// Predictions of label `i`.
    pub fn column_sum(&self, i: usize) -> usize {
        self.counts.iter().map(|row| row[i]).sum()
    }

    /// Rasa's `confused_with` for label `i`.
    pub fn confused_with(&self, i: usize) -> ConfusedWith {
        let row: Vec<(&str, usize)> = self
            .labels
            .iter()
            .map(String::as_str)
            .zip(self.counts[i].iter().copied())
            .collect();
        ConfusedWith::pick(&row, &self.labels[i])
    }
}

fn index_of(labels: &[String], label: &str) -> Option<usize> {
    labels.binary_search_by(|l| l.as_str().cmp(label)).ok()
}

/// Labels predicted instead of a gold label, with counts, most frequent first.
/// Serialises as a JSON object in that order, as Rasa's `confused_with`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfusedWith(pub Vec<(String, usize)>);

impl ConfusedWith {
    /// Rasa's rule: of the three largest cells of the gold label's row (its own cell
    /// included), keep those of other labels with a non-zero count, so two labels
    /// usually and three when the label's own cell is not among the largest.
    /// Ties go to the label sorted first, so the pick is deterministic.
    pub fn pick(row: &[(&str, usize)], own: &str) -> Self {
        let mut cells: Vec<(&str, usize)> = row.to_vec();
        cells.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        Self(
            cells
                .into_iter()
                .take(3)
                .filter(|&(label, count)| label != own && count > 0)
                .map(|(label, count)| (label.to_owned(), count))
                .collect(),
        )
    }
}

impl Serialize for ConfusedWith {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (label, count) in &self.0 {
            map.serialize_entry(label, count)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_over_sorted_union_of_labels() {
        let m = ConfusionMatrix::from_pairs(&[("b", "b"), ("b", "a"), ("c", "c")]);
        assert_eq!(m.labels, ["a", "b", "c"]);
        assert_eq!(m.counts, [[0, 0, 0], [1, 1, 0], [0, 0, 1]]);
        assert_eq!((m.total(), m.correct()), (3, 2));
        assert_eq!((m.row_sum(1), m.column_sum(0)), (2, 1));
    }

    #[test]
    fn confused_with_keeps_other_labels_among_top_three_cells() {
        let pick = |row: &[(&str, usize)], own| ConfusedWith::pick(row, own).0;
        let owned = |v: &[(&str, usize)]| -> Vec<(String, usize)> {
            v.iter().map(|&(l, c)| (l.to_owned(), c)).collect()
        };
        // Own cell among the top three: only two others.
        let row = [("a", 9), ("b", 3), ("c", 2), ("d", 1)];
        assert_eq!(pick(&row, "a"), owned(&[("b", 3), ("c", 2)]));
        // Own cell not among the top three: three others.
        let row = [("a", 0), ("b", 3), ("c", 2), ("d", 1)];
        assert_eq!(pick(&row, "a"), owned(&[("b", 3), ("c", 2), ("d", 1)]));
        // Zero counts never appear; ties go to the first label.
        let row = [("a", 5), ("b", 1), ("c", 1), ("d", 0)];
        assert_eq!(pick(&row, "a"), owned(&[("b", 1), ("c", 1)]));
        assert!(pick(&[("a", 4)], "a").is_empty());
    }

    #[test]
    fn confused_with_serialises_as_ordered_object() {
        let c = ConfusedWith(vec![("z".into(), 3), ("a".into(), 1)]);
        assert_eq!(
            serde_json::to_string(&c).unwrap_or_default(),
            r#"{"z":3,"a":1}"#
        );
    }
}
