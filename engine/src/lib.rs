//! Bela's engine: Rasa-compatible training data, the NLU pipeline (text handling,
//! features, intent classifier, entity extractors) and its on-disk model.
//!
//! The crate knows nothing of HTTP, databases or terminals: the server and the CLI
//! build on it.

pub mod config;
mod config_load;
pub mod data;
pub mod dialogue;
pub mod error;
pub mod evaluate;
pub mod model_dir;
pub mod names;
pub mod nlu;
pub mod project;
mod rng;
pub mod text;

pub use error::{Error, Result};
