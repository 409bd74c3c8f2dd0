//! The trained entity tagger: a linear-chain CRF over BILOU tags.

use serde::{Deserialize, Serialize};

/// Entity tagger options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntityConfig {
    /// Training passes over the data.
    pub epochs: usize,
    /// Seed for shuffling.
    pub seed: u64,
}

impl Default for EntityConfig {
    fn default() -> Self {
        Self {
            epochs: 50,
            seed: 42,
        }
    }
}
