//! Rasa's `EntitySynonymMapper`: replaces entity values by their canonical value.

use super::char_slice;
use crate::Result;
use crate::data::TrainingData;
use crate::nlu::artifact::{ArtifactReader, ArtifactWriter};
use crate::nlu::{Component, Message};
use crate::text::fold;
use std::collections::BTreeMap;

const SECTION: &str = "synonyms";

/// Maps entity values, compared folded (case and accents ignored), to canonical values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntitySynonymMapper {
    /// Folded surface form → canonical value.
    map: BTreeMap<String, String>,
}

fn key(value: &str) -> String {
    fold(value.trim())
}

impl EntitySynonymMapper {
    /// Built as Rasa does: from every annotation whose value differs from its text
    /// (`[Toxina Botulínica]{"entity": "procedimento", "value": "botox"}`), then from the
    /// `synonyms` section, which wins on conflict.
    pub fn from_data(data: &TrainingData) -> Self {
        let mut map = BTreeMap::new();
        for example in &data.examples {
            for a in &example.entities {
                let surface = char_slice(&example.text, a.start, a.end);
                if surface != a.value {
                    map.insert(key(&surface), a.value.clone());
                }
            }
        }
        for synonym in &data.synonyms {
            for surface in &synonym.examples {
                map.insert(key(surface), synonym.value.clone());
            }
        }
        map.retain(|k, _| !k.is_empty());
        Self { map }
    }

    /// Number of surface forms mapped.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing is mapped (the pipeline may leave it out).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Writes the section `synonyms`.
    pub fn save(&self, w: &mut ArtifactWriter) -> Result<()> {
        w.put_section(SECTION, &self.map)
    }

    /// Reads what [`save`](Self::save) wrote.
    pub fn load(r: &ArtifactReader) -> Result<Self> {
        Ok(Self {
            map: r.section(SECTION)?,
        })
    }
}

impl Component for EntitySynonymMapper {
    fn name(&self) -> &'static str {
        "EntitySynonymMapper"
    }

    fn process(&self, message: &mut Message) {
        for entity in &mut message.entities {
            let Some(value) = entity.value.as_str() else {
                continue; // structured values are never synonyms
            };
            let Some(canonical) = self.map.get(&key(value)) else {
                continue;
            };
            if canonical != value {
                entity.value = canonical.clone().into();
                if !entity.processors.iter().any(|p| p == self.name()) {
                    entity.processors.push(self.name().to_owned());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{EntityAnnotation, Example, Synonym};
    use crate::nlu::ParsedEntity;

    fn data() -> TrainingData {
        let text = "quero aplicar Toxina Botulínica amanhã";
        TrainingData {
            examples: vec![Example {
                text: text.into(),
                intent: "agendar".into(),
                entities: vec![EntityAnnotation {
                    start: 14,
                    end: 31,
                    entity: "procedimento".into(),
                    value: "botox".into(),
                    role: None,
                    group: None,
                }],
                metadata: None,
                location: None,
            }],
            synonyms: vec![Synonym {
                value: "preenchimento labial".into(),
                examples: vec!["preenchimento de lábios".into(), "PL".into()],
                location: None,
            }],
            ..TrainingData::default()
        }
    }

    fn entity(value: &str) -> ParsedEntity {
        ParsedEntity {
            entity: "procedimento".into(),
            start: 0,
            end: value.chars().count(),
            value: value.into(),
            extractor: "CRFEntityExtractor".into(),
            confidence_entity: Some(0.9),
            role: None,
            group: None,
            processors: Vec::new(),
            additional_info: None,
        }
    }

    fn mapped(mapper: &EntitySynonymMapper, value: &str) -> ParsedEntity {
        let mut m = Message::new(value);
        m.entities.push(entity(value));
        mapper.process(&mut m);
        m.entities.remove(0)
    }

    #[test]
    fn maps_case_and_accent_insensitively_and_reports_itself() {
        let mapper = EntitySynonymMapper::from_data(&data());
        for surface in [
            "Toxina Botulínica",
            "toxina botulinica",
            "TOXINA BOTULÍNICA ",
        ] {
            let e = mapped(&mapper, surface);
            assert_eq!(e.value, "botox");
            assert_eq!(e.processors, ["EntitySynonymMapper"]);
        }
        assert_eq!(
            mapped(&mapper, "Preenchimento de labios").value,
            "preenchimento labial"
        );
    }

    #[test]
    fn leaves_other_values_alone() {
        let mapper = EntitySynonymMapper::from_data(&data());
        let e = mapped(&mapper, "limpeza de pele");
        assert_eq!(e.value, "limpeza de pele");
        assert!(e.processors.is_empty());
        // Already canonical: no change, no processor.
        assert!(mapped(&mapper, "botox").processors.is_empty());
    }

    #[test]
    fn save_load_round_trip() {
        let mapper = EntitySynonymMapper::from_data(&data());
        let mut w = ArtifactWriter::new();
        mapper.save(&mut w).expect("save");
        let loaded = EntitySynonymMapper::load(&ArtifactReader::from_writer(&w)).expect("load");
        assert_eq!(loaded, mapper);
        assert_eq!(loaded.len(), 3);
    }
}
