//! The built-in extractor as a pipeline stage, and its configuration.

use super::extract::{BuiltinEntity, extract};
use super::reference::{DEFAULT_TIME_ZONE, ReferenceTime, parse_zone};
use super::values::Dimension;
use crate::Result;
use crate::nlu::{Component, Message, ParsedEntity};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// The extractor name entities report, as Rasa's Duckling extractor does.
pub const DUCKLING_EXTRACTOR: &str = "DucklingEntityExtractor";

/// `BelaDucklingExtractor` in `config.yml` (Rasa's `DucklingEntityExtractor` maps onto it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuiltinConfig {
    /// On or off; unset, it is on for Portuguese (`language: pt`) and off otherwise, since
    /// its grammar is pt-BR.
    pub enabled: Option<bool>,
    /// Dimensions to report (`time`, `duration`, `number`, `ordinal`, `amount_of_money`,
    /// `phone_number`, `email`, `url`); empty means all.
    pub dimensions: Vec<Dimension>,
    /// The zone used when a request names none (IANA name or fixed offset).
    pub timezone: String,
}

impl Default for BuiltinConfig {
    fn default() -> Self {
        Self {
            enabled: None,
            dimensions: Vec::new(),
            timezone: DEFAULT_TIME_ZONE.to_owned(),
        }
    }
}

impl BuiltinConfig {
    /// Whether the stage runs for a pipeline in `language`.
    pub fn is_enabled(&self, language: &str) -> bool {
        self.enabled.unwrap_or(language == "pt")
    }
}

/// Finds built-in values and adds them as entities named after their dimension.
///
/// A built-in value replaces any entity of the same type found by another extractor
/// (the CRF, a regex) that overlaps it: it carries the resolved value, which a trained
/// `time` span does not. The [`crate::nlu::extractors::EntityDeduplicator`] that runs
/// next then sees one entity per span.
#[derive(Debug, Clone)]
pub struct DucklingExtractor {
    dimensions: Vec<Dimension>,
    zone: TimeZone,
}

impl DucklingExtractor {
    /// Builds the stage; an unknown time zone is an error.
    pub fn new(config: &BuiltinConfig) -> Result<Self> {
        let dimensions = if config.dimensions.is_empty() {
            Dimension::ALL.to_vec()
        } else {
            config.dimensions.clone()
        };
        Ok(Self {
            dimensions,
            zone: parse_zone(&config.timezone)?,
        })
    }

    /// The zone used when a message carries no reference time.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The dimensions reported.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The values in `text` relative to `reference`.
    pub fn entities(&self, text: &str, reference: &ReferenceTime) -> Vec<BuiltinEntity> {
        extract(text, reference, &self.dimensions)
    }
}

/// Rasa's shape: the simple value in `value`, Duckling's full value in `additional_info`.
fn parsed(e: &BuiltinEntity) -> ParsedEntity {
    ParsedEntity {
        entity: e.dimension().as_str().to_owned(),
        start: e.start,
        end: e.end,
        value: e.value.to_rasa_value(),
        extractor: DUCKLING_EXTRACTOR.to_owned(),
        confidence_entity: Some(1.0),
        role: None,
        group: None,
        processors: Vec::new(),
        additional_info: Some(e.value.to_duckling_json()),
    }
}

impl Component for DucklingExtractor {
    fn name(&self) -> &'static str {
        DUCKLING_EXTRACTOR
    }

    fn process(&self, message: &mut Message) {
        let reference = message
            .reference
            .clone()
            .unwrap_or_else(|| ReferenceTime::now_in(self.zone.clone()));
        let found: Vec<ParsedEntity> = self
            .entities(&message.text, &reference)
            .iter()
            .map(parsed)
            .collect();
        message.entities.retain(|old| {
            !found
                .iter()
                .any(|f| f.entity == old.entity && old.start < f.end && f.start < old.end)
        });
        message.entities.extend(found);
        message.entities.sort_by_key(|e| e.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn reference() -> ReferenceTime {
        let at: Timestamp = "2026-03-11T12:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        ReferenceTime::new(at.to_zoned(TimeZone::fixed(jiff::tz::offset(-3))))
    }

    #[test]
    fn reports_rasa_shaped_entities_and_replaces_overlapping_ones() -> Result<()> {
        let stage = DucklingExtractor::new(&BuiltinConfig::default())?;
        let mut m = Message::new("amanhã às 15h");
        m.reference = Some(reference());
        m.entities.push(ParsedEntity {
            entity: "time".into(),
            start: 0,
            end: 6,
            value: "amanhã".into(),
            extractor: "CRFEntityExtractor".into(),
            confidence_entity: Some(0.8),
            role: None,
            group: None,
            processors: Vec::new(),
            additional_info: None,
        });
        stage.process(&mut m);
        assert_eq!(m.entities.len(), 1, "{:?}", m.entities);
        let e = &m.entities[0];
        assert_eq!((e.entity.as_str(), e.start, e.end), ("time", 0, 13));
        assert_eq!(e.extractor, DUCKLING_EXTRACTOR);
        assert_eq!(e.value, serde_json::json!("2026-03-12T15:00:00.000-03:00"));
        assert_eq!(
            e.additional_info,
            Some(
                serde_json::json!({"type": "value", "value": "2026-03-12T15:00:00.000-03:00", "grain": "hour"})
            )
        );
        Ok(())
    }

    #[test]
    fn only_the_configured_dimensions() -> Result<()> {
        let config = BuiltinConfig {
            dimensions: vec![Dimension::AmountOfMoney],
            ..BuiltinConfig::default()
        };
        let stage = DucklingExtractor::new(&config)?;
        let got = stage.entities("R$ 150 amanhã, 2 sessões", &reference());
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].dimension(), Dimension::AmountOfMoney);
        Ok(())
    }

    #[test]
    fn bad_zone_is_an_error() {
        let config = BuiltinConfig {
            timezone: "Lua/Crateras".into(),
            ..BuiltinConfig::default()
        };
        assert!(DucklingExtractor::new(&config).is_err());
    }

    #[test]
    fn on_by_default_for_portuguese_only() {
        let c = BuiltinConfig::default();
        assert!(c.is_enabled("pt"));
        assert!(!c.is_enabled("en"));
    }
}
