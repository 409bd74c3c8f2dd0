//! Rule-based entity extraction (regex, lookup tables), synonym mapping, and removal of
//! entities found twice.
//!
//! Pipeline order, as in Rasa: extractors (`CRFEntityExtractor`, [`RegexEntityExtractor`])
//! → [`EntityDeduplicator`] → [`EntitySynonymMapper`].

mod dedup;
mod regex_entities;
mod synonyms;

pub use dedup::{EntityDeduplicator, dedup_entities};
pub use regex_entities::RegexEntityExtractor;
pub use synonyms::EntitySynonymMapper;

/// Characters `start..end` of `text` (character offsets, as everywhere in the engine).
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}
