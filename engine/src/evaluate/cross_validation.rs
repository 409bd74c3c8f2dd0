//! Merging cross-validation folds the way Rasa does: the reports are computed on the
//! concatenated test predictions of all folds (so every example is scored once), and
//! each fold's headline figures are kept to show their spread.

use super::Evaluation;
use serde::Serialize;

/// One fold's headline scores (Rasa logs these as mean ± std for `--cross-validation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FoldScores {
    /// Test examples in the fold.
    pub examples: usize,
    /// Intent accuracy.
    pub intent_accuracy: f64,
    /// Support-weighted intent precision.
    pub intent_precision: f64,
    /// Support-weighted intent F1.
    pub intent_f1: f64,
    /// Micro-averaged entity F1 over all extractors.
    pub entity_f1: f64,
}

impl FoldScores {
    /// The headline scores of one evaluation.
    pub fn of(evaluation: &Evaluation) -> Self {
        Self {
            examples: evaluation.len(),
            intent_accuracy: evaluation.intent_report.accuracy,
            intent_precision: evaluation.intent_report.weighted_avg.precision,
            intent_f1: evaluation.intent_report.weighted_avg.f1_score,
            entity_f1: evaluation.entity_report.micro_avg.f1_score,
        }
    }

    /// Mean and (population) standard deviation of each figure over the folds.
    pub fn mean_and_std(folds: &[FoldScores]) -> (FoldScores, FoldScores) {
        let n = folds.len().max(1) as f64;
        let stat = |field: fn(&FoldScores) -> f64| {
            let mean = folds.iter().map(field).sum::<f64>() / n;
            let var = folds.iter().map(|f| (field(f) - mean).powi(2)).sum::<f64>() / n;
            (mean, var.sqrt())
        };
        let (acc, acc_sd) = stat(|f| f.intent_accuracy);
        let (prec, prec_sd) = stat(|f| f.intent_precision);
        let (f1, f1_sd) = stat(|f| f.intent_f1);
        let (ent, ent_sd) = stat(|f| f.entity_f1);
        let examples = folds.iter().map(|f| f.examples).sum::<usize>() / folds.len().max(1);
        let row = |a, p, f, e| FoldScores {
            examples,
            intent_accuracy: a,
            intent_precision: p,
            intent_f1: f,
            entity_f1: e,
        };
        (row(acc, prec, f1, ent), row(acc_sd, prec_sd, f1_sd, ent_sd))
    }
}

/// `cross_validation.json`: each fold's scores, their mean and standard deviation.
#[derive(Debug, Serialize)]
pub(crate) struct CrossValidationReport<'a> {
    folds: &'a [FoldScores],
    mean: FoldScores,
    std: FoldScores,
}

impl<'a> CrossValidationReport<'a> {
    /// The report of `folds`.
    pub(crate) fn new(folds: &'a [FoldScores]) -> Self {
        let (mean, std) = FoldScores::mean_and_std(folds);
        Self { folds, mean, std }
    }
}

/// Merges fold evaluations into one: reports over all folds' predictions together (as
/// Rasa's `cross_validate`), with `folds` holding each input's [`FoldScores`].
pub fn merge(evaluations: Vec<Evaluation>) -> Evaluation {
    let folds = evaluations.iter().map(FoldScores::of).collect();
    let (gold, predicted) =
        evaluations
            .into_iter()
            .fold((Vec::new(), Vec::new()), |(mut g, mut p), e| {
                g.extend(e.gold);
                p.extend(e.predicted);
                (g, p)
            });
    Evaluation {
        folds,
        ..Evaluation::score(gold, predicted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::evaluate;
    use crate::evaluate::test_support::intent_fixture;

    #[test]
    fn merge_scores_the_concatenated_predictions_and_keeps_folds() {
        let (gold, predicted) = intent_fixture();
        let whole = evaluate(&gold, &predicted).unwrap_or_default();
        let first = evaluate(&gold[..3], &predicted[..3]).unwrap_or_default();
        let second = evaluate(&gold[3..], &predicted[3..]).unwrap_or_default();
        let merged = merge(vec![first, second]);
        assert_eq!(merged.intent_report, whole.intent_report);
        assert_eq!(merged.confusion, whole.confusion);
        assert_eq!(merged.intent_errors, whole.intent_errors);
        assert_eq!(merged.folds.len(), 2);
        assert_eq!(merged.folds[0].examples, 3);
        assert!((merged.folds[0].intent_accuracy - 2.0 / 3.0).abs() < 1e-12);
        assert!((merged.folds[1].intent_accuracy - 0.6).abs() < 1e-12);
    }

    #[test]
    fn mean_and_std_of_folds() {
        let fold = |a| FoldScores {
            examples: 4,
            intent_accuracy: a,
            ..FoldScores::default()
        };
        let (mean, std) = FoldScores::mean_and_std(&[fold(0.5), fold(1.0)]);
        assert_eq!((mean.intent_accuracy, std.intent_accuracy), (0.75, 0.25));
        assert_eq!(mean.examples, 4);
        assert_eq!(FoldScores::mean_and_std(&[]).0, FoldScores::default());
        assert!(merge(Vec::new()).is_empty());
    }
}
