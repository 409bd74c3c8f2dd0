//! Rasa's `FallbackClassifier`: predicts `nlu_fallback` when the classifier is unsure.

use serde::{Deserialize, Serialize};

/// When to fall back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FallbackConfig {
    /// Below this top confidence the intent becomes `nlu_fallback`.
    pub threshold: f32,
    /// When the top two confidences are closer than this, the intent becomes `nlu_fallback`.
    pub ambiguity_threshold: f32,
}

impl Default for FallbackConfig {
    fn default() -> Self {
        Self {
            threshold: 0.3,
            ambiguity_threshold: 0.1,
        }
    }
}
