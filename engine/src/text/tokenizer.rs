//! Splits text into word tokens with character offsets and a normalised form.

use super::{SlangTable, fold_char};
use serde::{Deserialize, Serialize};

/// A word of the input with its place in the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The token as written.
    pub text: String,
    /// Folded (lower case, no accents) and slang-expanded form; may hold several words
    /// (`pfv` → `por favor`).
    pub norm: String,
    /// Start offset in characters, inclusive.
    pub start: usize,
    /// End offset in characters, exclusive.
    pub end: usize,
}

/// Splits on anything that is not a letter, digit or mark; punctuation is dropped, except
/// that `@`, `.`, `-` and `_` inside a word keep it whole (e-mails, `R$1.500`, codes).
#[derive(Debug, Clone, Default)]
pub struct Tokenizer {
    slang: SlangTable,
}

impl Tokenizer {
    /// A tokenizer expanding informal spellings with `slang`.
    pub fn new(slang: SlangTable) -> Self {
        Self { slang }
    }

    /// The slang table in use.
    pub fn slang(&self) -> &SlangTable {
        &self.slang
    }

    /// Tokenizes `text`.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if !is_word_char(chars[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len()
                && (is_word_char(chars[i]) || joins(&chars[start..i], chars[i], chars.get(i + 1)))
            {
                i += 1;
            }
            let surface: String = chars[start..i].iter().collect();
            let folded: String = chars[start..i]
                .iter()
                .copied()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .map(fold_char)
                .collect();
            let norm = match self.slang.expand(&folded) {
                Some(expanded) => expanded.to_owned(),
                None => folded,
            };
            tokens.push(Token {
                text: surface,
                norm,
                start,
                end: i,
            });
        }
        tokens
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Whether punctuation `c`, after `word` and before `next`, continues the word: digit
/// separators (`1.500,50`), e-mail parts (`maria@ex.com`), `_` and `'` inside words.
fn joins(word: &[char], c: char, next: Option<&char>) -> bool {
    let (Some(prev), Some(&next)) = (word.last(), next) else {
        return false;
    };
    if !is_word_char(next) {
        return false;
    }
    match c {
        '.' | ',' => {
            (prev.is_ascii_digit() && next.is_ascii_digit()) || (c == '.' && word.contains(&'@'))
        }
        '@' | '_' | '\'' => is_word_char(*prev),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok() -> Tokenizer {
        Tokenizer::new(SlangTable::default_pt())
    }

    #[test]
    fn tokens_keep_character_offsets() {
        let text = "Olá, qto custa o botox?";
        let tokens = tok().tokenize(text);
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["Olá", "qto", "custa", "o", "botox"]);
        let chars: Vec<char> = text.chars().collect();
        for t in &tokens {
            let s: String = chars[t.start..t.end].iter().collect();
            assert_eq!(s, t.text);
        }
    }

    #[test]
    fn norms_are_folded_and_expanded() {
        let tokens = tok().tokenize("Vc tem horário AMANHÃ? pfv");
        let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["voce", "tem", "horario", "amanha", "por favor"]);
    }

    #[test]
    fn keeps_emails_and_decimals_whole() {
        let tokens = tok().tokenize("maria@ex.com paga 1.500,50. Fim,sim");
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["maria@ex.com", "paga", "1.500,50", "Fim", "sim"]);
    }
}
