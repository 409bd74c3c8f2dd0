//! The in-memory form of NLU training data, whatever file format it came from.
//!
//! Offsets (`start`, `end`) count Unicode scalar values (characters), as Rasa's do.

use super::Location;
use crate::names::{EntityName, IntentName};
use serde::{Deserialize, Serialize};

/// All NLU training data of a project: examples, synonyms, regexes and lookup tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingData {
    /// Labelled example utterances.
    pub examples: Vec<Example>,
    /// Synonyms mapping surface forms to canonical entity values.
    pub synonyms: Vec<Synonym>,
    /// Named regular expressions (features, and entities for `RegexEntityExtractor`).
    pub regexes: Vec<RegexPattern>,
    /// Named lookup tables.
    pub lookups: Vec<LookupTable>,
}

impl TrainingData {
    /// Appends everything from `other`.
    pub fn merge(&mut self, other: TrainingData) {
        self.examples.extend(other.examples);
        self.synonyms.extend(other.synonyms);
        self.regexes.extend(other.regexes);
        self.lookups.extend(other.lookups);
    }

    /// The distinct intents, sorted.
    pub fn intents(&self) -> Vec<IntentName> {
        let mut v: Vec<IntentName> = self.examples.iter().map(|e| e.intent.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The distinct entity types annotated in examples, sorted.
    pub fn entity_types(&self) -> Vec<EntityName> {
        let mut v: Vec<EntityName> = self
            .examples
            .iter()
            .flat_map(|e| e.entities.iter().map(|a| a.entity.clone()))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// One training utterance with its intent and entity annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// The plain text (markup removed).
    pub text: String,
    /// Its intent.
    pub intent: IntentName,
    /// Entity annotations, ordered by `start`.
    #[serde(default)]
    pub entities: Vec<EntityAnnotation>,
    /// Free-form metadata from the YAML list form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Value>,
    /// Where the example was written, when read from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// An entity annotated in an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityAnnotation {
    /// Start offset in characters, inclusive.
    pub start: usize,
    /// End offset in characters, exclusive.
    pub end: usize,
    /// The entity type.
    pub entity: EntityName,
    /// The value: the annotated text, or the `value` given in `{...}` markup.
    pub value: String,
    /// Optional role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Optional group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl EntityAnnotation {
    /// An annotation of `entity` over characters `start..end` with `value`, no role or group.
    pub fn new(start: usize, end: usize, entity: &str, value: &str) -> Self {
        Self {
            start,
            end,
            entity: EntityName::new(entity),
            value: value.to_owned(),
            role: None,
            group: None,
        }
    }
}

/// A canonical value and the surface forms that map to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synonym {
    /// The canonical value (`botox`).
    pub value: String,
    /// Surface forms (`toxina botulínica`, `btx`).
    pub examples: Vec<String>,
    /// Where it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A named list of regular expressions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegexPattern {
    /// The name: an entity type when used for extraction.
    pub name: String,
    /// The patterns.
    pub patterns: Vec<String>,
    /// Where it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A named list of phrases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupTable {
    /// The name: an entity type when used for extraction.
    pub name: String,
    /// The phrases.
    pub elements: Vec<String>,
    /// Where it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}
