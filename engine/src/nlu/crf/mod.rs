//! The trained entity tagger: a linear-chain CRF over BILOU (or BIO) tags.
//!
//! [`tags`] converts annotations to tags and back, [`features`] hashes token features,
//! [`emissions`] and [`chain`] hold the weights, [`model`] runs Viterbi and
//! forward–backward, [`trainer`] fits the weights and [`extractor`] is the trained
//! pipeline component with its saved form.

pub mod chain;
pub mod emissions;
pub mod extractor;
pub mod features;
pub mod model;
pub mod tags;
pub mod trainer;

#[cfg(test)]
mod tests;

pub use extractor::CrfEntityExtractor;
pub use tags::TagScheme;
pub use trainer::EntityTrainer;

use serde::{Deserialize, Serialize};

/// Entity tagger options. The defaults were chosen on Snips 2017, HWU64 and a pt-BR
/// bot's data and need no tuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntityConfig {
    /// Training passes over the data; the weights of the second half are averaged.
    pub epochs: usize,
    /// Seed for shuffling.
    pub seed: u64,
    /// How entity spans are written as tags (`bilou` or `bio`). BIO has half the tags and
    /// trains ~1.7× faster with many entity types, at a small loss on small data.
    pub scheme: TagScheme,
    /// AdaGrad step size.
    pub learning_rate: f32,
    /// L2 penalty on the weights (CRFsuite's `c2`), per pass over the data.
    pub l2: f32,
    /// Sentences per update (1: plain per-sentence AdaGrad).
    pub batch_size: usize,
}

impl Default for EntityConfig {
    fn default() -> Self {
        Self {
            epochs: 15,
            seed: 42,
            scheme: TagScheme::Bilou,
            learning_rate: 0.3,
            l2: 0.03,
            batch_size: 1,
        }
    }
}
