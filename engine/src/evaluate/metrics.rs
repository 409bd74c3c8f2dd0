//! Precision, recall and F1 from counts, and the averages sklearn's classification
//! report gives. A zero denominator gives 0.0, as sklearn's `zero_division=0`.

use super::confusion::ConfusedWith;
use serde::Serialize;

/// Precision, recall, F1 and support: one row of a report, or one of its averages
/// (`micro avg`, `macro avg`, `weighted avg`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Share of the predictions of this label that were right.
    pub precision: f64,
    /// Share of the gold items of this label that were found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    #[serde(rename = "f1-score")]
    pub f1_score: f64,
    /// Number of gold items (of all labels, for an average).
    pub support: usize,
}

/// One label's row in a report: its scores and what it was mistaken for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabelReport {
    /// Precision, recall, F1 and support.
    #[serde(flatten)]
    pub scores: Scores,
    /// The labels predicted instead of this one, most frequent first (Rasa's `confused_with`).
    pub confused_with: ConfusedWith,
}

/// Raw counts for one label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Predictions of the label that were right.
    pub true_positives: usize,
    /// Predictions of the label, right or wrong.
    pub predicted: usize,
    /// Gold items of the label.
    pub support: usize,
}

impl Counts {
    /// Precision, recall and F1 of these counts.
    pub fn scores(&self) -> Scores {
        let precision = ratio(self.true_positives, self.predicted);
        let recall = ratio(self.true_positives, self.support);
        Scores {
            precision,
            recall,
            f1_score: f1(precision, recall),
            support: self.support,
        }
    }
}

/// `num / den`, or 0.0 when `den` is 0.
pub(crate) fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn f1(precision: f64, recall: f64) -> f64 {
    let sum = precision + recall;
    if sum == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / sum
    }
}

/// Pooled counts of all labels: sklearn's `micro avg`.
pub(crate) fn micro_avg<'a>(counts: impl IntoIterator<Item = &'a Counts>) -> Scores {
    let total = counts.into_iter().fold(Counts::default(), |acc, c| Counts {
        true_positives: acc.true_positives + c.true_positives,
        predicted: acc.predicted + c.predicted,
        support: acc.support + c.support,
    });
    total.scores()
}

/// Unweighted mean of the rows: sklearn's `macro avg`.
pub(crate) fn macro_avg(rows: &[Scores]) -> Scores {
    mean_by(rows, |_| 1.0, rows.len() as f64)
}

/// Mean of the rows weighted by support: sklearn's `weighted avg`.
pub(crate) fn weighted_avg(rows: &[Scores]) -> Scores {
    let support: usize = rows.iter().map(|r| r.support).sum();
    mean_by(rows, |r| r.support as f64, support as f64)
}

fn mean_by(rows: &[Scores], weight: impl Fn(&Scores) -> f64, total_weight: f64) -> Scores {
    let avg = |field: fn(&Scores) -> f64| {
        if total_weight == 0.0 {
            0.0
        } else {
            rows.iter().map(|r| weight(r) * field(r)).sum::<f64>() / total_weight
        }
    };
    Scores {
        precision: avg(|r| r.precision),
        recall: avg(|r| r.recall),
        f1_score: avg(|r| r.f1_score),
        support: rows.iter().map(|r| r.support).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(precision: f64, recall: f64, f1_score: f64, support: usize) -> Scores {
        Scores {
            precision,
            recall,
            f1_score,
            support,
        }
    }

    #[test]
    fn zero_denominators_give_zero() {
        let s = Counts::default().scores();
        assert_eq!(s, row(0.0, 0.0, 0.0, 0));
    }

    #[test]
    fn scores_from_counts() {
        let s = Counts {
            true_positives: 2,
            predicted: 2,
            support: 3,
        }
        .scores();
        assert_eq!(s.precision, 1.0);
        assert!((s.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.f1_score - 0.8).abs() < 1e-12);
    }

    #[test]
    fn averages() {
        let rows = [row(1.0, 0.5, 0.6, 3), row(0.0, 0.0, 0.0, 1)];
        let m = macro_avg(&rows);
        assert_eq!((m.precision, m.recall, m.support), (0.5, 0.25, 4));
        let w = weighted_avg(&rows);
        assert_eq!((w.precision, w.recall, w.support), (0.75, 0.375, 4));
        assert_eq!(macro_avg(&[]), Scores::default());
        assert_eq!(weighted_avg(&[row(0.5, 0.5, 0.5, 0)]).precision, 0.0);
    }
}
