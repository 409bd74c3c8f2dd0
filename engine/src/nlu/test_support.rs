//! Builders shared by the trainers' tests.

use super::{Message, Prepared};
use crate::data::Example;
use crate::text::{SlangTable, Tokenizer};

/// `text` tokenized as the pipeline does (built-in pt-BR slang table).
pub(crate) fn message(text: &str) -> Message {
    let mut m = Message::new(text);
    m.tokens = Tokenizer::new(SlangTable::default_pt()).tokenize(text);
    m
}

/// Examples paired with their tokenized messages, as trainers receive them.
pub(crate) fn prepare(examples: &[Example]) -> Vec<Prepared<'_>> {
    examples
        .iter()
        .map(|e| Prepared {
            example: e,
            message: message(&e.text),
        })
        .collect()
}
