//! One entity per span and type when several extractors found it.

use crate::nlu::{Component, Message, ParsedEntity};

/// Removes entities with the same `(start, end, entity)` as another, keeping the most
/// confident (the first on a tie); a missing confidence counts as 1, as rule-based
/// extractors that give none are certain. The order of the kept entities is unchanged.
pub fn dedup_entities(entities: &mut Vec<ParsedEntity>) {
    let confidence = |e: &ParsedEntity| e.confidence_entity.unwrap_or(1.0);
    let mut kept: Vec<ParsedEntity> = Vec::with_capacity(entities.len());
    for e in entities.drain(..) {
        let same = kept
            .iter_mut()
            .find(|k| k.start == e.start && k.end == e.end && k.entity == e.entity);
        match same {
            Some(k) if confidence(&e) > confidence(k) => *k = e,
            Some(_) => {}
            None => kept.push(e),
        }
    }
    *entities = kept;
}

/// [`dedup_entities`] as a pipeline stage; it has no state, so nothing to save: the
/// pipeline adds it after the extractors.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntityDeduplicator;

impl Component for EntityDeduplicator {
    fn name(&self) -> &'static str {
        "EntityDeduplicator"
    }

    fn process(&self, message: &mut Message) {
        dedup_entities(&mut message.entities);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(
        entity: &str,
        start: usize,
        extractor: &str,
        confidence: Option<f32>,
    ) -> ParsedEntity {
        ParsedEntity {
            entity: entity.into(),
            start,
            end: start + 5,
            value: "botox".into(),
            extractor: extractor.into(),
            confidence_entity: confidence,
            role: None,
            group: None,
            processors: Vec::new(),
            additional_info: None,
        }
    }

    #[test]
    fn keeps_the_most_confident_of_each_span_and_type() {
        let mut m = Message::new("botox botox");
        m.entities = vec![
            entity("procedimento", 0, "CRFEntityExtractor", Some(0.7)),
            entity("procedimento", 0, "RegexEntityExtractor", Some(1.0)),
            entity("marca", 0, "CRFEntityExtractor", Some(0.4)),
            entity("procedimento", 6, "CRFEntityExtractor", Some(0.9)),
            entity("procedimento", 6, "OtherExtractor", Some(0.5)),
        ];
        EntityDeduplicator.process(&mut m);
        let got: Vec<(&str, usize, &str)> = m
            .entities
            .iter()
            .map(|e| (e.entity.as_str(), e.start, e.extractor.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("procedimento", 0, "RegexEntityExtractor"),
                ("marca", 0, "CRFEntityExtractor"),
                ("procedimento", 6, "CRFEntityExtractor"),
            ]
        );
    }
}
