//! Intent scores (`intent_report.json`) and misclassified examples (`intent_errors.json`).

use super::confusion::ConfusionMatrix;
use super::metrics::{Counts, LabelReport, Scores, macro_avg, ratio, weighted_avg};
use crate::data::Example;
use crate::names::IntentName;
use crate::nlu::message::{IntentScore, ParseResult};
use serde::{Serialize, Serializer, ser::SerializeMap};
use std::collections::BTreeMap;

/// Per-intent scores in the shape of sklearn's `classification_report(output_dict=True)`
/// plus Rasa's `confused_with`. Labels are every gold or predicted intent, so
/// `nlu_fallback` has a row (with no support) when it was predicted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntentReport {
    /// One row per intent, sorted by name.
    pub labels: BTreeMap<String, LabelReport>,
    /// Share of examples whose intent was predicted right.
    pub accuracy: f64,
    /// Unweighted mean over intents.
    pub macro_avg: Scores,
    /// Mean over intents weighted by support.
    pub weighted_avg: Scores,
}

impl IntentReport {
    /// Scores every label of the confusion matrix.
    pub(crate) fn from_confusion(matrix: &ConfusionMatrix) -> Self {
        let labels: BTreeMap<String, LabelReport> = matrix
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let counts = Counts {
                    true_positives: matrix.counts[i][i],
                    predicted: matrix.column_sum(i),
                    support: matrix.row_sum(i),
                };
                let row = LabelReport {
                    scores: counts.scores(),
                    confused_with: matrix.confused_with(i),
                };
                (label.clone(), row)
            })
            .collect();
        let rows: Vec<Scores> = labels.values().map(|r| r.scores).collect();
        Self {
            accuracy: ratio(matrix.correct(), matrix.total()),
            macro_avg: macro_avg(&rows),
            weighted_avg: weighted_avg(&rows),
            labels,
        }
    }

    /// Intents with gold examples, worst F1 first (ties by name).
    pub fn worst(&self) -> Vec<(&str, &LabelReport)> {
        let mut rows: Vec<(&str, &LabelReport)> = self
            .labels
            .iter()
            .filter(|(_, r)| r.scores.support > 0)
            .map(|(l, r)| (l.as_str(), r))
            .collect();
        rows.sort_by(|a, b| a.1.scores.f1_score.total_cmp(&b.1.scores.f1_score));
        rows
    }
}

impl Serialize for IntentReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.labels.len() + 3))?;
        for (label, row) in &self.labels {
            map.serialize_entry(label, row)?;
        }
        map.serialize_entry("accuracy", &self.accuracy)?;
        map.serialize_entry("macro avg", &self.macro_avg)?;
        map.serialize_entry("weighted avg", &self.weighted_avg)?;
        map.end()
    }
}

/// An example whose intent was predicted wrong, as in Rasa's `intent_errors.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentError {
    /// The example's text.
    pub text: String,
    /// The gold intent.
    pub intent: IntentName,
    /// The predicted intent and its confidence.
    pub intent_prediction: IntentScore,
}

/// The wrongly classified examples, in data order (as Rasa).
pub(crate) fn intent_errors(gold: &[Example], predicted: &[ParseResult]) -> Vec<IntentError> {
    gold.iter()
        .zip(predicted)
        .filter(|(g, p)| g.intent != p.intent.name)
        .map(|(g, p)| IntentError {
            text: g.text.clone(),
            intent: g.intent.clone(),
            intent_prediction: p.intent.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::test_support::intent_fixture as fixture;
    use crate::evaluate::test_support::{assert_scores, close};

    fn report() -> IntentReport {
        let (gold, predicted) = fixture();
        let pairs: Vec<(&str, &str)> = gold
            .iter()
            .zip(&predicted)
            .map(|(g, p)| (g.intent.as_str(), p.intent.name.as_str()))
            .collect();
        IntentReport::from_confusion(&ConfusionMatrix::from_pairs(&pairs))
    }

    #[test]
    fn per_intent_scores_are_hand_computed() {
        let r = report();
        assert_eq!(
            r.labels.keys().collect::<Vec<_>>(),
            ["ask_price", "goodbye", "greet", "nlu_fallback"]
        );
        assert_scores(&r.labels["ask_price"].scores, 1.0, 2.0 / 3.0, 0.8, 3);
        assert_scores(&r.labels["goodbye"].scores, 0.5, 0.5, 0.5, 2);
        let third = 2.0 / 3.0;
        assert_scores(&r.labels["greet"].scores, third, third, third, 3);
        assert_scores(&r.labels["nlu_fallback"].scores, 0.0, 0.0, 0.0, 0);
    }

    #[test]
    fn accuracy_and_averages_are_hand_computed() {
        let r = report();
        close(r.accuracy, 5.0 / 8.0);
        let f1_sum = 0.8 + 0.5 + 2.0 / 3.0;
        assert_scores(
            &r.macro_avg,
            (1.0 + 0.5 + 2.0 / 3.0) / 4.0,
            (2.0 / 3.0 + 0.5 + 2.0 / 3.0) / 4.0,
            f1_sum / 4.0,
            8,
        );
        assert_scores(&r.weighted_avg, 0.75, 0.625, 5.4 / 8.0, 8);
    }

    #[test]
    fn confused_with_names_the_wrong_predictions() {
        let r = report();
        let confused = |l: &str| r.labels[l].confused_with.0.clone();
        assert_eq!(confused("ask_price"), [("nlu_fallback".to_owned(), 1)]);
        assert_eq!(confused("greet"), [("goodbye".to_owned(), 1)]);
        assert!(confused("nlu_fallback").is_empty());
        assert_eq!(r.worst()[0].0, "goodbye");
    }

    #[test]
    fn json_has_rasa_key_names() {
        let json = serde_json::to_value(report()).unwrap_or_default();
        let greet = &json["greet"];
        for key in [
            "precision",
            "recall",
            "f1-score",
            "support",
            "confused_with",
        ] {
            assert!(greet.get(key).is_some(), "missing {key}");
        }
        assert_eq!(greet["confused_with"]["goodbye"], 1);
        assert_eq!(json["accuracy"], 0.625);
        assert_eq!(json["macro avg"]["support"], 8);
        assert_eq!(json["weighted avg"]["precision"], 0.75);
    }

    #[test]
    fn errors_list_wrong_predictions_in_data_order() {
        let (gold, predicted) = fixture();
        let errors = intent_errors(&gold, &predicted);
        let texts: Vec<&str> = errors.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["message 2", "message 4", "message 6"]);
        let json = serde_json::to_value(&errors[2]).unwrap_or_default();
        assert_eq!(json["intent"], "ask_price");
        assert_eq!(json["intent_prediction"]["name"], "nlu_fallback");
        assert_eq!(json["intent_prediction"]["confidence"], 0.5);
    }
}
