//! Case and accent folding that keeps one output character per input character, so
//! offsets computed on folded text are offsets into the original.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds one character: lower case, accents dropped (`Ã` → `a`, `Ç` → `c`).
///
/// Characters whose folding is not a single character (`ß`, ligatures) are kept lower-cased
/// as their first character, which keeps offsets aligned.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    lower
        .nfd()
        .find(|d| !is_combining_mark(*d))
        .unwrap_or(lower)
}

/// Folds a whole string (see [`fold_char`]); combining marks in already decomposed input
/// are dropped, so `"a\u{301}"` and `"á"` both fold to `"a"`.
pub fn fold(text: &str) -> String {
    text.nfc()
        .filter(|c| !is_combining_mark(*c))
        .map(fold_char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Amanhã às Três"), "amanha as tres");
        assert_eq!(fold("AÇÃO"), "acao");
        assert_eq!(fold("pé-de-galinha"), "pe-de-galinha");
    }

    #[test]
    fn decomposed_input_folds_like_composed() {
        assert_eq!(fold("a\u{301}gua"), fold("água"));
    }
}
