//! Rasa's `RegexEntityExtractor`: regex and lookup-table hits named like an entity type
//! become entities.

use super::char_slice;
use crate::Result;
use crate::names::EntityName;
use crate::nlu::artifact::{ArtifactReader, ArtifactWriter};
use crate::nlu::{Component, Message, ParsedEntity};
use std::collections::BTreeSet;

const SECTION: &str = "regex_entities";

/// Turns the pattern hits already in `message.patterns` (regex and lookup) whose name is
/// one of its entity types into entities. Rules are certain: confidence is 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegexEntityExtractor {
    entities: BTreeSet<String>,
}

impl RegexEntityExtractor {
    /// An extractor for the patterns named like `entities`.
    pub fn new(entities: impl IntoIterator<Item = EntityName>) -> Self {
        Self {
            entities: entities
                .into_iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
        }
    }

    /// True when no pattern can produce an entity (the pipeline may leave it out).
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Writes the section `regex_entities`.
    pub fn save(&self, w: &mut ArtifactWriter) -> Result<()> {
        w.put_section(SECTION, &self.entities)
    }

    /// Reads what [`save`](Self::save) wrote.
    pub fn load(r: &ArtifactReader) -> Result<Self> {
        Ok(Self {
            entities: r.section(SECTION)?,
        })
    }
}

impl Component for RegexEntityExtractor {
    fn name(&self) -> &'static str {
        "RegexEntityExtractor"
    }

    fn process(&self, message: &mut Message) {
        let mut found: Vec<ParsedEntity> = Vec::new();
        for hit in &message.patterns {
            if !self.entities.contains(&hit.name) {
                continue;
            }
            // Several patterns of one name may match the same text: report it once.
            let repeated = found
                .iter()
                .any(|e| e.start == hit.start && e.end == hit.end && e.entity == hit.name);
            if repeated {
                continue;
            }
            found.push(ParsedEntity {
                entity: hit.name.clone(),
                start: hit.start,
                end: hit.end,
                value: char_slice(&message.text, hit.start, hit.end).into(),
                extractor: self.name().to_owned(),
                confidence_entity: Some(1.0),
                role: None,
                group: None,
                processors: Vec::new(),
                additional_info: None,
            });
        }
        message.entities.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{LookupTable, RegexPattern};
    use crate::nlu::features::PatternMatcher;

    #[test]
    fn reports_hits_of_entity_patterns_with_char_offsets() {
        let matcher = PatternMatcher::new(
            &[
                RegexPattern {
                    name: "cupom".into(),
                    patterns: vec![r"\b[A-Z]{3,}[0-9]{1,3}\b".into(), r"\bBELA[0-9]+\b".into()],
                    location: None,
                },
                RegexPattern {
                    name: "telefone_feature".into(),
                    patterns: vec![r"\d{4}-\d{4}".into()],
                    location: None,
                },
            ],
            &[LookupTable {
                name: "procedimento".into(),
                elements: vec!["limpeza de pele".into()],
                location: None,
            }],
        )
        .expect("valid patterns");
        let text = "Olá! Limpeza de péle com cupom BELA10, tel 9999-1234";
        let mut m = Message::new(text);
        m.patterns = matcher.find(text);
        let extractor = RegexEntityExtractor::new(["cupom".into(), "procedimento".into()]);
        extractor.process(&mut m);
        let got: Vec<(&str, usize, usize, &str)> = m
            .entities
            .iter()
            .map(|e| {
                (
                    e.entity.as_str(),
                    e.start,
                    e.end,
                    e.value.as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("procedimento", 5, 20, "Limpeza de péle"),
                ("cupom", 31, 37, "BELA10"),
            ]
        );
        assert!(
            m.entities
                .iter()
                .all(|e| e.extractor == "RegexEntityExtractor")
        );
    }

    #[test]
    fn save_load_round_trip() {
        let extractor = RegexEntityExtractor::new(["cupom".into()]);
        let mut w = ArtifactWriter::new();
        extractor.save(&mut w).expect("save");
        let loaded = RegexEntityExtractor::load(&ArtifactReader::from_writer(&w)).expect("load");
        assert_eq!(loaded, extractor);
    }
}
