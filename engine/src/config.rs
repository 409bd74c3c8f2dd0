//! Pipeline configuration, read from a Rasa-style `config.yml`.
//!
//! Every field has a default that works without tuning; see the README's
//! "Configuration" section for the YAML keys.

use crate::nlu::builtin::BuiltinConfig;
use crate::nlu::crf::EntityConfig;
use crate::nlu::fallback::FallbackConfig;
use crate::nlu::intent::IntentConfig;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Everything that shapes training and parsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PipelineConfig {
    /// Language code (`pt`, `en`, ...): selects the built-in slang table and stemmer.
    pub language: String,
    /// Text handling.
    pub text: TextConfig,
    /// The intent classifier.
    pub intent: IntentConfig,
    /// The trained entity tagger.
    pub entities: EntityConfig,
    /// When to predict `nlu_fallback`.
    pub fallback: FallbackConfig,
    /// Optional pretrained sentence encoder.
    pub encoder: Option<EncoderConfig>,
    /// The built-in Duckling-compatible extractor (dates, numbers, money...).
    pub builtin: BuiltinConfig,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            language: "pt".into(),
            text: TextConfig::default(),
            intent: IntentConfig::default(),
            entities: EntityConfig::default(),
            fallback: FallbackConfig::default(),
            encoder: None,
            builtin: BuiltinConfig::default(),
        }
    }
}

/// Text handling options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextConfig {
    /// A YAML slang table (`informal: standard`), relative to the project. When unset, a
    /// project's `slang.yml` is used if present, else the built-in table for `pt`.
    pub slang: Option<PathBuf>,
}

/// A BERT-family encoder in a local directory (`config.json`, `model.safetensors`,
/// `tokenizer.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncoderConfig {
    /// The directory, relative to the project or absolute.
    pub model_path: PathBuf,
    /// Longest input in word pieces.
    #[serde(default = "default_max_length")]
    pub max_length: usize,
}

fn default_max_length() -> usize {
    64
}
