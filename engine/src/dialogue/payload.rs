//! Intent payloads typed or sent by buttons: `/greet`, `/inform{"procedure": "botox"}`,
//! `/affirm@0.8`, read as Rasa's `RegexMessageHandler` reads them.

use crate::dialogue::events::ParseData;
use crate::names::IntentName;
use crate::nlu::{IntentScore, ParsedEntity};
use serde_json::Value;

/// The extractor name Rasa gives entities from a payload.
const PAYLOAD_EXTRACTOR: &str = "RegexMessageHandler";

/// Parses `text` as an intent payload; `None` when it is not one (no leading `/`, or
/// entities that are not a JSON object).
pub fn parse_payload(text: &str) -> Option<ParseData> {
    let body = text.trim().strip_prefix('/')?;
    let name_end = body
        .find(|c: char| c == '{' || c == '@' || c.is_whitespace())
        .unwrap_or(body.len());
    let name = &body[..name_end];
    if name.is_empty() {
        return None;
    }
    let mut rest = &body[name_end..];
    let mut entities = Vec::new();
    if rest.starts_with('{') {
        let close = rest.rfind('}')?;
        let json: Value = serde_json::from_str(&rest[..=close]).ok()?;
        let object = json.as_object()?;
        let start = text.chars().count() - rest.chars().count();
        let end = start + rest[..=close].chars().count();
        for (entity, value) in object {
            // A list value gives one entity per element, as in Rasa.
            let values = match value {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            for value in values {
                entities.push(ParsedEntity {
                    entity: entity.clone(),
                    start,
                    end,
                    value,
                    extractor: PAYLOAD_EXTRACTOR.into(),
                    confidence_entity: Some(1.0),
                    role: None,
                    group: None,
                    processors: Vec::new(),
                    additional_info: None,
                });
            }
        }
        rest = &rest[close + 1..];
    }
    let confidence = match rest.trim().strip_prefix('@') {
        Some(number) => number.trim().parse::<f32>().ok()?.clamp(0.0, 1.0),
        None if rest.trim().is_empty() => 1.0,
        None => return None,
    };
    let intent = IntentScore {
        name: IntentName::new(name),
        confidence,
    };
    Some(ParseData {
        intent: Some(intent.clone()),
        entities,
        intent_ranking: vec![intent],
        text: Some(text.to_owned()),
        message_id: None,
        metadata: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intents_entities_and_confidence() {
        let p = parse_payload("/greet").expect("payload");
        assert_eq!(p.intent.as_ref().map(|i| i.name.as_str()), Some("greet"));
        assert!(p.entities.is_empty());

        let p = parse_payload(r#"/inform{"procedure": "botox", "body_area": ["testa", "olhos"]}"#)
            .expect("payload");
        let values: Vec<(&str, &Value)> = p
            .entities
            .iter()
            .map(|e| (e.entity.as_str(), &e.value))
            .collect();
        assert_eq!(
            values,
            [
                ("body_area", &json!("testa")),
                ("body_area", &json!("olhos")),
                ("procedure", &json!("botox"))
            ]
        );
        assert_eq!(p.entities[0].start, 7);

        let p = parse_payload("/affirm@0.75").expect("payload");
        assert_eq!(p.intent.map(|i| i.confidence), Some(0.75));
    }

    #[test]
    fn plain_text_and_broken_payloads_are_not_payloads() {
        assert!(parse_payload("oi, tudo bem?").is_none());
        assert!(parse_payload("/").is_none());
        assert!(parse_payload("/inform{not json}").is_none());
        assert!(parse_payload("/greet and more").is_none());
    }
}
