//! Text handling for informal pt-BR: accent and case folding, a curator-editable slang
//! table, and tokens that keep their character offsets in the original text.

mod fold;
mod slang;
mod tokenizer;

pub use fold::{fold, fold_char};
pub use slang::SlangTable;
pub use tokenizer::{Token, Tokenizer};
