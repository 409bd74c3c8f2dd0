//! The intent classifier: sparse n-gram features into a small network trained with candle.

use serde::{Deserialize, Serialize};

/// Intent classifier options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntentConfig {
    /// Training epochs.
    pub epochs: usize,
    /// Seed for initialisation and shuffling: the same data, config and seed give the same model.
    pub seed: u64,
}

impl Default for IntentConfig {
    fn default() -> Self {
        Self {
            epochs: 40,
            seed: 42,
        }
    }
}
