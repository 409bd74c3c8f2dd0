//! Small builders for the evaluation tests' inline fixtures.

use crate::data::{EntityAnnotation, Example};
use crate::names::IntentName;
use crate::nlu::message::{IntentScore, ParseResult, ParsedEntity};

/// A gold example; entities are `(start, end, entity, value)`.
pub(crate) fn example(
    text: &str,
    intent: &str,
    entities: &[(usize, usize, &str, &str)],
) -> Example {
    Example {
        text: text.to_owned(),
        intent: IntentName::new(intent),
        entities: entities
            .iter()
            .map(|&(start, end, entity, value)| EntityAnnotation::new(start, end, entity, value))
            .collect(),
        metadata: None,
        location: None,
    }
}

/// A prediction; entities are `(start, end, entity, value, extractor)`.
pub(crate) fn parsed(
    text: &str,
    intent: &str,
    confidence: f32,
    entities: &[(usize, usize, &str, &str, &str)],
) -> ParseResult {
    let intent = IntentScore {
        name: IntentName::new(intent),
        confidence,
    };
    ParseResult {
        text: text.to_owned(),
        intent_ranking: vec![intent.clone()],
        intent,
        entities: entities
            .iter()
            .map(|&(start, end, entity, value, extractor)| ParsedEntity {
                entity: entity.to_owned(),
                start,
                end,
                value: serde_json::Value::String(value.to_owned()),
                extractor: extractor.to_owned(),
                confidence_entity: None,
                role: None,
                group: None,
                processors: Vec::new(),
                additional_info: None,
            })
            .collect(),
        text_tokens: None,
    }
}

/// Gold → predicted: ask_price 2 right, 1 → nlu_fallback; goodbye 1 right, 1 → greet;
/// greet 2 right, 1 → goodbye. Texts are `message {index}`.
pub(crate) fn intent_fixture() -> (Vec<Example>, Vec<ParseResult>) {
    let pairs = [
        ("greet", "greet"),
        ("greet", "greet"),
        ("greet", "goodbye"),
        ("goodbye", "goodbye"),
        ("goodbye", "greet"),
        ("ask_price", "ask_price"),
        ("ask_price", "nlu_fallback"),
        ("ask_price", "ask_price"),
    ];
    pairs
        .iter()
        .enumerate()
        .map(|(i, &(g, p))| {
            let text = format!("message {i}");
            (example(&text, g, &[]), parsed(&text, p, 0.5, &[]))
        })
        .unzip()
}

/// Entities: an exact match plus a partial-overlap miss, a matched span with the wrong
/// value plus an unannotated prediction, nothing at all, and a span given the wrong type.
/// `RegexEntityExtractor` repeats one CRF match and predicts only `procedure`.
pub(crate) fn entity_fixture() -> (Vec<Example>, Vec<ParseResult>) {
    const CRF: &str = "CRFEntityExtractor";
    const REGEX: &str = "RegexEntityExtractor";
    let gold = vec![
        example(
            "quero botox amanhã",
            "book",
            &[(6, 11, "procedure", "botox"), (12, 18, "time", "amanhã")],
        ),
        example(
            "toxina botulínica às 10h",
            "book",
            &[(0, 17, "procedure", "botox")],
        ),
        example("oi", "greet", &[]),
        example("marcar limpeza", "book", &[(7, 14, "procedure", "limpeza")]),
    ];
    let predicted = vec![
        parsed(
            "quero botox amanhã",
            "book",
            0.9,
            &[
                (6, 11, "procedure", "botox", CRF),
                (6, 11, "procedure", "botox", REGEX),
                (12, 16, "time", "aman", CRF),
            ],
        ),
        parsed(
            "toxina botulínica às 10h",
            "book",
            0.8,
            &[
                (0, 17, "procedure", "toxina botulínica", CRF),
                (21, 24, "time", "10h", CRF),
            ],
        ),
        parsed("oi", "greet", 0.99, &[]),
        parsed(
            "marcar limpeza",
            "book",
            0.7,
            &[(7, 14, "time", "limpeza", CRF)],
        ),
    ];
    (gold, predicted)
}

/// Asserts two scores are equal up to rounding.
pub(crate) fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// Asserts precision, recall, F1 and support.
pub(crate) fn assert_scores(s: &super::Scores, p: f64, r: f64, f: f64, support: usize) {
    close(s.precision, p);
    close(s.recall, r);
    close(s.f1_score, f);
    assert_eq!(s.support, support);
}
