//! Features shared by the intent classifier and the entity tagger.

mod patterns;

pub use patterns::{PatternHit, PatternMatcher};
