//! The intent classifier: sparse n-gram features into a small network trained with candle.
//!
//! - `featurizer` turns tokens, pattern hits and the message's shape into hashed keys;
//! - `vocabulary` maps the keys seen in training to weighted sparse vectors;
//! - `fit` learns an embedding bag → ReLU → softmax network with candle autograd;
//! - `calibration` fits a softmax temperature on a held-out slice;
//! - [`IntentTrainer`] runs all that; [`IntentClassifier`] predicts with plain Rust loops.

mod calibration;
mod classifier;
mod featurizer;
mod fit;
mod network;
mod sparse_adam;
mod trainer;
mod vocabulary;

#[cfg(test)]
mod tests;

pub use calibration::{CalibrationReport, expected_calibration_error};
pub use classifier::IntentClassifier;
pub use trainer::IntentTrainer;

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Intent classifier options. The defaults need no tuning for bots of a few dozen
/// examples up to benchmarks of tens of thousands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntentConfig {
    /// Passes over the training data. Large data sets make fewer, so that training stops
    /// after about `max_steps` optimisation steps (they need fewer passes to converge).
    pub epochs: usize,
    /// Caps the steps of a training run by cutting epochs (0: no cap).
    pub max_steps: usize,
    /// Seed for initialisation, shuffling and dropout: the same data, config and seed
    /// give the same model.
    pub seed: u64,
    /// Width of the hidden layer; 0 trains a linear (softmax regression) model instead.
    pub hidden: usize,
    /// Dropout on the hidden layer while training.
    pub dropout: f32,
    /// Share of each training example's features dropped at random while training.
    pub input_dropout: f32,
    /// Examples per optimisation step.
    pub batch_size: usize,
    /// AdamW learning rate (decays linearly to a tenth of it over training).
    pub learning_rate: f32,
    /// AdamW decoupled weight decay.
    pub weight_decay: f32,
    /// Label smoothing of the training targets (keeps confidences from saturating).
    pub label_smoothing: f32,
    /// Smallest and largest character n-gram, counted with the word-boundary marks
    /// (`[0, 0]` turns them off).
    pub char_ngrams: [usize; 2],
    /// Word bigrams as features.
    pub bigrams: bool,
    /// Snowball stems as features (for `pt` and `en`); the pipeline may mirror
    /// `text.stemming` here.
    pub stemming: bool,
    /// Character n-grams and bigrams seen in fewer training examples are ignored
    /// (words, stems and patterns are always kept).
    pub min_count: usize,
    /// At most this many features, the most frequent (bounds the model's size and
    /// loading time on large data sets).
    pub max_features: usize,
    /// Share of each intent's examples held out to fit the softmax temperature; the final
    /// model is then trained on everything. 0 turns temperature scaling off.
    pub calibration_holdout: f32,
}

impl Default for IntentConfig {
    fn default() -> Self {
        Self {
            epochs: 40,
            max_steps: 2000,
            seed: 42,
            hidden: 128,
            dropout: 0.3,
            input_dropout: 0.2,
            batch_size: 32,
            learning_rate: 0.003,
            weight_decay: 0.0,
            label_smoothing: 0.1,
            char_ngrams: [2, 4],
            bigrams: true,
            stemming: true,
            min_count: 2,
            max_features: 30_000,
            calibration_holdout: 0.1,
        }
    }
}

impl IntentConfig {
    /// Checks the values that would make training meaningless.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::Config(format!("intent.{what}")));
        if self.epochs == 0 {
            return bad("epochs must be at least 1");
        }
        if self.batch_size == 0 {
            return bad("batch_size must be at least 1");
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return bad("dropout must be in [0, 1)");
        }
        if !(0.0..1.0).contains(&self.input_dropout) {
            return bad("input_dropout must be in [0, 1)");
        }
        if !(0.0..1.0).contains(&self.label_smoothing) {
            return bad("label_smoothing must be in [0, 1)");
        }
        if !(0.0..0.5).contains(&self.calibration_holdout) {
            return bad("calibration_holdout must be in [0, 0.5)");
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return bad("learning_rate must be positive");
        }
        if !(self.weight_decay >= 0.0 && self.weight_decay.is_finite()) {
            return bad("weight_decay must not be negative");
        }
        let [lo, hi] = self.char_ngrams;
        if (lo == 0) != (hi == 0) || lo > hi {
            return bad("char_ngrams must be [min, max] with 1 <= min <= max, or [0, 0]");
        }
        Ok(())
    }

    /// The epochs a run on `examples` examples makes: `epochs`, cut down so the run takes
    /// about `max_steps` steps at most, and at least one.
    pub fn effective_epochs(&self, examples: usize) -> usize {
        let steps_per_epoch = examples.div_ceil(self.batch_size.max(1)).max(1);
        if self.max_steps == 0 {
            return self.epochs;
        }
        self.epochs
            .min(self.max_steps.div_ceil(steps_per_epoch))
            .max(1)
    }
}
