//! Dialogue training data: stories, rules and test stories (Rasa 3.x YAML).
//!
//! - [`reader`] reads `stories:` and `rules:` into [`DialogueData`] (steps as written),
//!   with located diagnostics; [`loader`] does it for files and directories.
//!   Rasa 1.x/2.x Markdown stories are read by [`markdown`].
//! - [`graph`] expands checkpoints and `or` into [`LinearStory`]s of [`Turn`]s, the form
//!   policies train on; rules get Rasa's `...` markers ([`linear_rules`]).
//! - [`test_stories`] gives a test runner the expected messages and actions, and
//!   [`writer`] writes failed test stories back with Rasa's `# predicted:` comments.
//! - [`validate`] checks names against the domain ([`DeclaredNames`]) and finds story
//!   conflicts.

pub mod graph;
pub mod loader;
pub mod markdown;
mod model;
pub mod reader;
mod steps;
pub mod test_stories;
#[cfg(test)]
mod test_support;
pub mod validate;
pub mod writer;

pub use graph::{Expansion, Limits, LinearStory, Origin, StoryGraph, Turn, linear_rules};
pub use model::{
    ActionStep, ActiveLoopStep, Alternative, BotStep, CheckpointStep, DialogueData, FILLED, OrStep,
    Rule, SlotStep, SlotValue, Step, Story, StoryEntity, UserStep,
};
pub use validate::{DeclaredNames, validate};
