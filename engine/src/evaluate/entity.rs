//! Entity scores by exact span match (`entity_report.json`, `<Extractor>_report.json`)
//! and the examples with entity mistakes (`entity_errors.json`).
//!
//! A prediction is right when a gold entity has the same `(start, end, entity)`;
//! a partial overlap counts as both a false positive and a miss. Roles and groups
//! are not compared.

use super::confusion::ConfusedWith;
use super::metrics::{Counts, LabelReport, Scores, macro_avg, micro_avg, ratio, weighted_avg};
use crate::data::{EntityAnnotation, Example};
use crate::nlu::message::{ParseResult, ParsedEntity};
use serde::{Serialize, Serializer, ser::SerializeMap};
use std::collections::BTreeMap;

/// Per-entity-type scores with `micro avg`, `macro avg` and `weighted avg`, as Rasa's
/// `<Extractor>_report.json`, plus `value_accuracy`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityReport {
    /// One row per entity type, sorted by name.
    pub labels: BTreeMap<String, LabelReport>,
    /// Scores of all spans pooled.
    pub micro_avg: Scores,
    /// Unweighted mean over entity types.
    pub macro_avg: Scores,
    /// Mean over entity types weighted by support.
    pub weighted_avg: Scores,
    /// Gold spans that a prediction matched exactly.
    pub matched_spans: usize,
    /// Of those, how many had the gold value (after synonym mapping).
    pub correct_values: usize,
}

impl EntityReport {
    /// Share of exactly matched spans whose predicted value equals the gold value.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.correct_values, self.matched_spans)
    }

    /// Scores of all entity predictions (several extractors finding the same span count once).
    pub(crate) fn overall(gold: &[Example], predicted: &[ParseResult]) -> Self {
        Tally::of(gold, predicted, |_| true).report(false)
    }

    /// Scores of one extractor's predictions. Only the entity types it predicted at least
    /// once get a row: an extractor built for one type (a regex for phone numbers) would
    /// otherwise show zero recall for every other type.
    pub(crate) fn for_extractor(gold: &[Example], predicted: &[ParseResult], name: &str) -> Self {
        Tally::of(gold, predicted, |e| e.extractor == name).report(true)
    }
}

impl Serialize for EntityReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.labels.len() + 4))?;
        for (label, row) in &self.labels {
            map.serialize_entry(label, row)?;
        }
        map.serialize_entry("micro avg", &self.micro_avg)?;
        map.serialize_entry("macro avg", &self.macro_avg)?;
        map.serialize_entry("weighted avg", &self.weighted_avg)?;
        map.serialize_entry("value_accuracy", &self.value_accuracy())?;
        map.end()
    }
}

/// An example with a missed, extra or mistyped entity, or a matched span with the wrong
/// value, as Rasa's `<Extractor>_errors.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityError {
    /// The example's text.
    pub text: String,
    /// The gold entities.
    pub entities: Vec<EntityAnnotation>,
    /// Every entity predicted.
    pub predicted_entities: Vec<ParsedEntity>,
}

/// The examples with entity mistakes, in data order.
pub(crate) fn entity_errors(gold: &[Example], predicted: &[ParseResult]) -> Vec<EntityError> {
    gold.iter()
        .zip(predicted)
        .filter(|(g, p)| {
            let mut tally = Tally::default();
            tally.add(&g.entities, &dedup(p.entities.iter()));
            tally.has_error
        })
        .map(|(g, p)| EntityError {
            text: g.text.clone(),
            entities: g.entities.clone(),
            predicted_entities: p.entities.clone(),
        })
        .collect()
}

/// Counts accumulated over examples.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<String, Counts>,
    /// Gold type → predicted type, for spans found with the wrong type.
    confusions: BTreeMap<String, BTreeMap<String, usize>>,
    matched: usize,
    correct_values: usize,
    has_error: bool,
}

impl Tally {
    fn of(
        gold: &[Example],
        predicted: &[ParseResult],
        keep: impl Fn(&ParsedEntity) -> bool,
    ) -> Self {
        let mut tally = Self::default();
        for (g, p) in gold.iter().zip(predicted) {
            tally.add(&g.entities, &dedup(p.entities.iter().filter(|e| keep(e))));
        }
        tally
    }

    fn add(&mut self, gold: &[EntityAnnotation], predicted: &[&ParsedEntity]) {
        let mut gold_used = vec![false; gold.len()];
        for g in gold {
            self.counts.entry(g.entity.to_string()).or_default().support += 1;
        }
        for p in predicted {
            let counts = self.counts.entry(p.entity.clone()).or_default();
            counts.predicted += 1;
            let hit = gold
                .iter()
                .enumerate()
                .position(|(i, g)| !gold_used[i] && (g.start, g.end, g.entity.as_str()) == key(p));
            match hit {
                Some(i) => {
                    gold_used[i] = true;
                    counts.true_positives += 1;
                    self.matched += 1;
                    if value_matches(&gold[i].value, &p.value) {
                        self.correct_values += 1;
                    } else {
                        self.has_error = true;
                    }
                }
                None => self.has_error = true,
            }
        }
        for (g, _) in gold.iter().zip(&gold_used).filter(|(_, used)| !**used) {
            self.has_error = true;
            let same_span = predicted
                .iter()
                .find(|p| (p.start, p.end) == (g.start, g.end) && p.entity != g.entity.as_str());
            if let Some(p) = same_span {
                *self
                    .confusions
                    .entry(g.entity.to_string())
                    .or_default()
                    .entry(p.entity.clone())
                    .or_default() += 1;
            }
        }
    }

    fn report(self, only_predicted_types: bool) -> EntityReport {
        let counts: BTreeMap<String, Counts> = self
            .counts
            .into_iter()
            .filter(|(_, c)| !only_predicted_types || c.predicted > 0)
            .collect();
        let labels: BTreeMap<String, LabelReport> = counts
            .iter()
            .map(|(label, c)| {
                let mut row: Vec<(&str, usize)> = vec![(label.as_str(), c.true_positives)];
                if let Some(confused) = self.confusions.get(label) {
                    row.extend(confused.iter().map(|(l, n)| (l.as_str(), *n)));
                }
                let report = LabelReport {
                    scores: c.scores(),
                    confused_with: ConfusedWith::pick(&row, label),
                };
                (label.clone(), report)
            })
            .collect();
        let rows: Vec<Scores> = labels.values().map(|r| r.scores).collect();
        EntityReport {
            micro_avg: micro_avg(counts.values()),
            macro_avg: macro_avg(&rows),
            weighted_avg: weighted_avg(&rows),
            labels,
            matched_spans: self.matched,
            correct_values: self.correct_values,
        }
    }
}

fn key(e: &ParsedEntity) -> (usize, usize, &str) {
    (e.start, e.end, e.entity.as_str())
}

/// Drops repeated `(start, end, entity)` predictions, keeping the first in pipeline order,
/// so that extractors agreeing on a span do not count as false positives.
fn dedup<'a>(entities: impl Iterator<Item = &'a ParsedEntity>) -> Vec<&'a ParsedEntity> {
    let mut kept: Vec<&ParsedEntity> = Vec::new();
    for e in entities {
        if !kept.iter().any(|k| key(k) == key(e)) {
            kept.push(e);
        }
    }
    kept
}

/// Structured values (numbers, objects) match a gold value that parses as equal JSON.
fn value_matches(gold: &str, predicted: &serde_json::Value) -> bool {
    match predicted {
        serde_json::Value::String(s) => s == gold,
        other => serde_json::from_str::<serde_json::Value>(gold).is_ok_and(|g| g == *other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::test_support::entity_fixture;
    use crate::evaluate::test_support::{assert_scores, close};

    #[test]
    fn exact_match_counting_is_hand_computed() {
        let (gold, predicted) = entity_fixture();
        let r = EntityReport::overall(&gold, &predicted);
        // procedure: 3 gold, 2 predicted (the repeated regex span counts once), both right.
        assert_scores(&r.labels["procedure"].scores, 1.0, 2.0 / 3.0, 0.8, 3);
        // time: 1 gold; 3 predicted: a partial overlap, an unannotated span, a wrong type.
        assert_scores(&r.labels["time"].scores, 0.0, 0.0, 0.0, 1);
        assert_scores(&r.micro_avg, 0.4, 0.5, 4.0 / 9.0, 4);
        assert_scores(&r.macro_avg, 0.5, 1.0 / 3.0, 0.4, 4);
        assert_scores(&r.weighted_avg, 0.75, 0.5, 0.6, 4);
        assert_eq!(r.labels["procedure"].confused_with.0, [("time".into(), 1)]);
        assert!(r.labels["time"].confused_with.0.is_empty());
    }

    #[test]
    fn value_accuracy_counts_matched_spans_only() {
        let (gold, predicted) = entity_fixture();
        let r = EntityReport::overall(&gold, &predicted);
        assert_eq!((r.matched_spans, r.correct_values), (2, 1));
        close(r.value_accuracy(), 0.5);
        assert!(value_matches("3", &serde_json::json!(3)));
    }

    #[test]
    fn extractor_report_keeps_only_types_it_predicts() {
        let (gold, predicted) = entity_fixture();
        let regex = EntityReport::for_extractor(&gold, &predicted, "RegexEntityExtractor");
        assert_eq!(regex.labels.keys().collect::<Vec<_>>(), ["procedure"]);
        assert_scores(&regex.labels["procedure"].scores, 1.0, 1.0 / 3.0, 0.5, 3);
        let crf = EntityReport::for_extractor(&gold, &predicted, "CRFEntityExtractor");
        assert_eq!(crf.labels["time"].scores.support, 1);
        assert_eq!(crf.micro_avg.support, 4);
    }

    #[test]
    fn errors_list_examples_with_any_mistake() {
        let (gold, predicted) = entity_fixture();
        let errors = entity_errors(&gold, &predicted);
        let texts: Vec<&str> = errors.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "quero botox amanhã",
                "toxina botulínica às 10h",
                "marcar limpeza"
            ]
        );
        let json = serde_json::to_value(&errors[0]).unwrap_or_default();
        assert_eq!(json["entities"][1]["entity"], "time");
        assert_eq!(json["predicted_entities"][2]["end"], 16);
    }

    #[test]
    fn json_has_rasa_key_names() {
        let (gold, predicted) = entity_fixture();
        let json =
            serde_json::to_value(EntityReport::overall(&gold, &predicted)).unwrap_or_default();
        for key in ["micro avg", "macro avg", "weighted avg"] {
            assert!(json[key]["f1-score"].is_number(), "missing {key}");
        }
        assert_eq!(json["procedure"]["support"], 3);
        assert_eq!(json["value_accuracy"], 0.5);
    }
}
