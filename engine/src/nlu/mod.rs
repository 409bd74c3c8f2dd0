//! The NLU pipeline: a [`Message`] passes through [`Component`]s that each edit it
//! (tokens, intent, entities), as in Rasa and HF tokenizers. Trainers live apart from the
//! trained components; [`artifact`] saves and loads them.

pub mod artifact;
pub mod builtin;
pub mod component;
pub mod crf;
pub mod dense;
#[cfg(feature = "bert")]
pub mod encoder;
pub mod extractors;
pub mod fallback;
pub mod features;
pub mod intent;
pub mod message;
pub mod model;
#[cfg(test)]
pub(crate) mod test_support;
pub mod train;

pub use component::Component;
pub use message::{IntentScore, Message, ParsedEntity};

use crate::data::Example;

/// A training example after the tokenizer (and the optional encoder) ran on it: what the
/// trainers of the classifier and the tagger learn from.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    /// The example as written in the data.
    pub example: &'a Example,
    /// Its text, tokenized (and with dense features when an encoder is configured).
    pub message: Message,
}

/// A report from a trainer, for progress bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// What is being trained (`intent`, `entities`).
    pub stage: &'static str,
    /// The epoch just finished (1-based).
    pub epoch: usize,
    /// Total epochs.
    pub epochs: usize,
    /// Mean training loss over the epoch.
    pub loss: f32,
}
