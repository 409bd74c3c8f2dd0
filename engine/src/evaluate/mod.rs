//! NLU evaluation behind `bela test nlu`: scores predictions against gold examples and
//! writes Rasa-shaped reports (`intent_report.json`, `intent_errors.json`,
//! `entity_report.json`, `<Extractor>_report.json`, `entity_errors.json`), an intent
//! confusion matrix and a confidence histogram (SVG).
//!
//! Cross-validation: [`stratified_folds`] splits the data; the caller trains and
//! predicts per fold, calls [`evaluate`] on each, then [`merge`]s them.

mod confusion;
mod cross_validation;
mod entity;
mod folds;
mod intent;
mod metrics;
mod plot_confusion;
mod plot_histogram;
mod summary;
#[cfg(test)]
mod test_support;
mod write;

pub use confusion::{ConfusedWith, ConfusionMatrix};
pub use cross_validation::{FoldScores, merge};
pub use entity::{EntityError, EntityReport};
pub use folds::stratified_folds;
pub use intent::{IntentError, IntentReport};
pub use metrics::{LabelReport, Scores};

use crate::data::Example;
use crate::nlu::message::ParseResult;
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};

/// The scores of a set of predictions against their gold examples.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Per-intent scores (`intent_report.json`).
    pub intent_report: IntentReport,
    /// Misclassified examples (`intent_errors.json`).
    pub intent_errors: Vec<IntentError>,
    /// Scores of all entity predictions (`entity_report.json`).
    pub entity_report: EntityReport,
    /// Scores per extractor, keyed by `ParsedEntity::extractor` (`<Extractor>_report.json`).
    pub extractor_reports: BTreeMap<String, EntityReport>,
    /// Examples with entity mistakes (`entity_errors.json`).
    pub entity_errors: Vec<EntityError>,
    /// Gold × predicted intent counts.
    pub confusion: ConfusionMatrix,
    /// Each fold's headline scores, when this evaluation merges cross-validation folds.
    pub folds: Vec<FoldScores>,
    /// The inputs, kept so folds can be merged and confidences plotted.
    gold: Vec<Example>,
    predicted: Vec<ParseResult>,
}

/// Scores predictions against gold examples (same order).
pub fn evaluate(gold: &[Example], predicted: &[ParseResult]) -> Result<Evaluation> {
    if gold.len() != predicted.len() {
        return Err(Error::InvalidInput(format!(
            "{} gold example(s) but {} prediction(s)",
            gold.len(),
            predicted.len()
        )));
    }
    Ok(Evaluation::score(gold.to_vec(), predicted.to_vec()))
}

/// Removes built-in (Duckling-style) entities of types the gold data never annotates:
/// the test set says nothing about them, so they would only count as false positives
/// (Rasa likewise leaves pretrained extractors out of its entity evaluation).
fn drop_unannotated_builtin(gold: &[Example], predicted: &mut [ParseResult]) {
    let annotated: BTreeSet<&str> = gold
        .iter()
        .flat_map(|g| g.entities.iter().map(|e| e.entity.as_str()))
        .collect();
    for p in predicted {
        p.entities.retain(|e| {
            e.extractor != crate::nlu::builtin::DUCKLING_EXTRACTOR
                || annotated.contains(e.entity.as_str())
        });
    }
}

impl Evaluation {
    /// Scores equally long inputs.
    fn score(gold: Vec<Example>, mut predicted: Vec<ParseResult>) -> Self {
        drop_unannotated_builtin(&gold, &mut predicted);
        let pairs: Vec<(&str, &str)> = gold
            .iter()
            .zip(&predicted)
            .map(|(g, p)| (g.intent.as_str(), p.intent.name.as_str()))
            .collect();
        let confusion = ConfusionMatrix::from_pairs(&pairs);
        let extractors: BTreeSet<&str> = predicted
            .iter()
            .flat_map(|p| p.entities.iter().map(|e| e.extractor.as_str()))
            .collect();
        Self {
            intent_report: IntentReport::from_confusion(&confusion),
            intent_errors: intent::intent_errors(&gold, &predicted),
            entity_report: EntityReport::overall(&gold, &predicted),
            extractor_reports: extractors
                .into_iter()
                .map(|x| {
                    let report = EntityReport::for_extractor(&gold, &predicted, x);
                    (x.to_owned(), report)
                })
                .collect(),
            entity_errors: entity::entity_errors(&gold, &predicted),
            confusion,
            folds: Vec::new(),
            gold,
            predicted,
        }
    }

    /// Number of examples scored.
    pub fn len(&self) -> usize {
        self.gold.len()
    }

    /// True when nothing was scored.
    pub fn is_empty(&self) -> bool {
        self.gold.is_empty()
    }

    /// Intent confidences of right and of wrong predictions.
    fn confidences(&self) -> (Vec<f32>, Vec<f32>) {
        let mut hits = Vec::new();
        let mut misses = Vec::new();
        for (g, p) in self.gold.iter().zip(&self.predicted) {
            let side = if g.intent == p.intent.name {
                &mut hits
            } else {
                &mut misses
            };
            side.push(p.intent.confidence);
        }
        (hits, misses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_support::{entity_fixture, intent_fixture};

    #[test]
    fn evaluate_fills_every_part() {
        let (gold, predicted) = entity_fixture();
        let e = evaluate(&gold, &predicted).unwrap_or_default();
        assert_eq!(e.len(), 4);
        assert_eq!(e.intent_report.accuracy, 1.0);
        assert!(e.intent_errors.is_empty());
        assert_eq!(e.entity_errors.len(), 3);
        assert_eq!(
            e.extractor_reports.keys().collect::<Vec<_>>(),
            ["CRFEntityExtractor", "RegexEntityExtractor"]
        );
        assert_eq!(e.confusion.labels, ["book", "greet"]);
    }

    #[test]
    fn confidences_split_hits_and_misses() {
        let (gold, predicted) = intent_fixture();
        let e = evaluate(&gold, &predicted).unwrap_or_default();
        let (hits, misses) = e.confidences();
        assert_eq!((hits.len(), misses.len()), (5, 3));
    }

    #[test]
    fn mismatched_lengths_are_rejected() {
        let (gold, predicted) = intent_fixture();
        let err = evaluate(&gold, &predicted[1..]);
        assert!(matches!(err, Err(Error::InvalidInput(_))));
        assert!(evaluate(&[], &[]).is_ok_and(|e| e.is_empty()));
    }

    #[test]
    fn builtin_entities_count_only_for_annotated_types() -> Result<()> {
        use test_support::{example, parsed};
        let gold = [example(
            "botox amanhã",
            "book",
            &[(0, 5, "procedure", "botox")],
        )];
        let predicted = [parsed(
            "botox amanhã",
            "book",
            0.9,
            &[
                (0, 5, "procedure", "botox", "CRFEntityExtractor"),
                (6, 12, "time", "2026-03-12", "DucklingEntityExtractor"),
            ],
        )];
        let e = evaluate(&gold, &predicted)?;
        assert_eq!(
            e.entity_report.micro_avg.f1_score, 1.0,
            "the unannotated time is not scored"
        );
        assert!(!e.extractor_reports.contains_key("DucklingEntityExtractor"));
        Ok(())
    }
}
