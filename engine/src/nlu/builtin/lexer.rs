//! Splits a text into the tokens the grammar works on: lower-case, accent-free words,
//! digit runs and single punctuation characters, each with its character span.
//!
//! Folding is one character for one character, so token offsets are character offsets
//! into the original text. Letters and digits are split apart ("15h30" → `15` `h` `30`);
//! `space_before` keeps whether they were written together.

use unicode_normalization::UnicodeNormalization;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// Letters.
    Word,
    /// ASCII digits.
    Digits,
    /// One other visible character.
    Punct,
    /// Part of a code of letters and digits written together ("VERAO2026", "PROMO15"):
    /// its text is empty, so no rule reads it as a word or a number.
    Code,
}

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token<'a> {
    /// Its kind.
    pub kind: TokenKind,
    /// Folded text; an informal spelling is replaced by its standard form ("hj" → "hoje").
    pub text: &'a str,
    /// Start in characters of the original text.
    pub start: usize,
    /// End in characters (exclusive).
    pub end: usize,
    /// Whether whitespace separates it from the previous token.
    pub space_before: bool,
}

/// Informal spellings that the grammar reads as their standard form.
const ALIASES: &[(&str, &str)] = &[
    ("hj", "hoje"),
    ("hoj", "hoje"),
    ("amn", "amanha"),
    ("amnh", "amanha"),
    ("amanh", "amanha"),
    ("amanhaa", "amanha"),
    ("dps", "depois"),
    ("dpois", "depois"),
    ("q", "que"),
    ("prox", "proxima"),
    ("proxi", "proxima"),
    ("msm", "mesmo"),
    ("tb", "tambem"),
];

/// Lower case without accents, one output character per input character.
pub(super) fn fold_char(c: char) -> char {
    match c {
        'º' => 'o',
        'ª' => 'a',
        '–' | '—' | '‐' => '-',
        _ => {
            let lower = c.to_lowercase().next().unwrap_or(c);
            if lower.is_ascii() {
                lower
            } else {
                lower.nfd().next().unwrap_or(lower)
            }
        }
    }
}

/// The folded text: same number of characters as `text`.
pub(super) fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Tokens of the folded text `folded` (see [`fold`]).
pub(super) fn tokenize(folded: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = folded.char_indices().enumerate().peekable();
    let mut space = true;
    while let Some((ci, (bi, c))) = chars.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let kind = if c.is_ascii_digit() {
            TokenKind::Digits
        } else if c.is_alphabetic() {
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        let (mut end_ci, mut end_bi) = (ci + 1, bi + c.len_utf8());
        if kind != TokenKind::Punct {
            while let Some(&(nci, (nbi, nc))) = chars.peek() {
                let same = match kind {
                    TokenKind::Digits => nc.is_ascii_digit(),
                    _ => nc.is_alphabetic() && !nc.is_ascii_digit(),
                };
                if !same {
                    break;
                }
                end_ci = nci + 1;
                end_bi = nbi + nc.len_utf8();
                chars.next();
            }
        }
        let raw = &folded[bi..end_bi];
        let text = match kind {
            TokenKind::Word => alias(raw).unwrap_or(raw),
            _ => raw,
        };
        tokens.push(Token {
            kind,
            text,
            start: ci,
            end: end_ci,
            space_before: space,
        });
        space = false;
    }
    mark_codes(&mut tokens);
    tokens
}

/// Currency codes that may touch their amount ("USD1,23").
const GLUED_PREFIXES: &[&str] = &["usd", "eur", "gbp", "brl"];

/// A word of three letters or more written against digits starts a code; so does
/// everything written against it after.
fn mark_codes(tokens: &mut [Token<'_>]) {
    let mut in_code = false;
    for i in 0..tokens.len() {
        let glued_next = tokens.get(i + 1).is_some_and(|n| !n.space_before);
        let t = &tokens[i];
        let starts = t.kind == TokenKind::Word
            && t.text.chars().count() >= 3
            && !GLUED_PREFIXES.contains(&t.text)
            && glued_next
            && tokens[i + 1].kind == TokenKind::Digits;
        let continues = in_code && !t.space_before && t.kind != TokenKind::Punct;
        in_code = starts || continues;
        if in_code {
            tokens[i].kind = TokenKind::Code;
            tokens[i].text = "";
        }
    }
}

fn alias(word: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find(|(informal, _)| *informal == word)
        .map(|(_, standard)| *standard)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, bool)> {
        let folded = fold(text);
        tokenize(&folded)
            .iter()
            .map(|t| (t.text.to_owned(), t.space_before))
            .collect()
    }

    #[test]
    fn folds_accents_one_char_for_one() {
        let text = "Amanhã às 15h, Sábado 1º";
        let folded = fold(text);
        assert_eq!(folded, "amanha as 15h, sabado 1o");
        assert_eq!(folded.chars().count(), text.chars().count());
    }

    #[test]
    fn splits_letters_digits_and_punctuation() {
        let got = texts("hj 15h30, R$2,00");
        let want: Vec<(String, bool)> = [
            ("hoje", true),
            ("15", true),
            ("h", false),
            ("30", false),
            (",", false),
            ("r", true),
            ("$", false),
            ("2", false),
            (",", false),
            ("00", false),
        ]
        .iter()
        .map(|(t, s)| ((*t).to_owned(), *s))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn codes_are_not_words_or_numbers() {
        let folded = fold("cupom VERAO2026, 15h e USD10");
        let kinds: Vec<TokenKind> = tokenize(&folded).iter().map(|t| t.kind).collect();
        use TokenKind::*;
        assert_eq!(
            kinds,
            [Word, Code, Code, Punct, Digits, Word, Word, Word, Digits]
        );
    }

    #[test]
    fn offsets_are_characters_of_the_original() {
        let folded = fold("às três");
        let tokens = tokenize(&folded);
        assert_eq!((tokens[1].start, tokens[1].end), (3, 7));
    }
}
