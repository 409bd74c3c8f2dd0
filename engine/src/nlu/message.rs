//! The value that pipeline stages edit, and its Rasa-shaped JSON form.

use super::builtin::ReferenceTime;
use super::features::PatternHit;
use crate::names::IntentName;
use crate::text::Token;
use serde::{Deserialize, Serialize};

/// An intent with the classifier's confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentScore {
    /// The intent.
    pub name: IntentName,
    /// Probability in [0, 1].
    pub confidence: f32,
}

/// An entity found in a message, in Rasa's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedEntity {
    /// The entity type.
    pub entity: String,
    /// Start offset in characters.
    #[serde(default)]
    pub start: usize,
    /// End offset in characters (exclusive).
    #[serde(default)]
    pub end: usize,
    /// The value: the text found, its canonical synonym, or a structured value.
    pub value: serde_json::Value,
    /// The component that found it (`CRFEntityExtractor`, `RegexEntityExtractor`, ...);
    /// empty for entities given by clients or stories.
    #[serde(default)]
    pub extractor: String,
    /// The extractor's confidence in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_entity: Option<f32>,
    /// Optional role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Optional group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Components that changed the value afterwards (`EntitySynonymMapper`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub processors: Vec<String>,
    /// Extra structured information (e.g. Duckling-style values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<serde_json::Value>,
}

/// A message on its way through the pipeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    /// The text as the user wrote it.
    pub text: String,
    /// Its tokens (set by the tokenizer stage).
    pub tokens: Vec<Token>,
    /// Regex and lookup-table hits (set by the pattern stage).
    pub patterns: Vec<PatternHit>,
    /// Dense sentence features from an optional pretrained encoder.
    pub dense: Option<Vec<f32>>,
    /// The predicted intent.
    pub intent: Option<IntentScore>,
    /// All intents ranked by confidence (at most 10 are reported).
    pub intent_ranking: Vec<IntentScore>,
    /// Entities found so far.
    pub entities: Vec<ParsedEntity>,
    /// When and where the message was written, for relative times ("amanhã"); `None`
    /// means now in the built-in extractor's configured zone.
    pub reference: Option<ReferenceTime>,
}

impl Message {
    /// A fresh message for `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// The Rasa `/model/parse` response for this message.
    pub fn to_parse_result(&self, with_tokens: bool) -> ParseResult {
        ParseResult {
            text: self.text.clone(),
            intent: self.intent.clone().unwrap_or(IntentScore {
                name: IntentName::new(crate::names::NLU_FALLBACK),
                confidence: 0.0,
            }),
            entities: self.entities.clone(),
            intent_ranking: self.intent_ranking.iter().take(10).cloned().collect(),
            text_tokens: with_tokens
                .then(|| self.tokens.iter().map(|t| [t.start, t.end]).collect()),
        }
    }
}

/// Rasa's `/model/parse` response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParseResult {
    /// The text parsed.
    pub text: String,
    /// The top intent.
    pub intent: IntentScore,
    /// Entities found.
    pub entities: Vec<ParsedEntity>,
    /// Up to 10 intents, best first.
    pub intent_ranking: Vec<IntentScore>,
    /// Token character spans, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_tokens: Option<Vec<[usize; 2]>>,
}
