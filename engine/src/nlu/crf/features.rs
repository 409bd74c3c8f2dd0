//! Token features for the tagger, as stable 32-bit hashes of strings such as `w-1=quero`.
//!
//! Hashing keeps the saved model free of a string vocabulary (loading is a table build,
//! not a parse) and the hash is fixed (FNV-1a), so keys mean the same in every build.

use crate::nlu::Message;
use rust_stemmers::{Algorithm, Stemmer};

/// Turns a tokenized message into feature keys per token.
pub struct FeatureExtractor {
    stemmer: Option<Stemmer>,
}

impl std::fmt::Debug for FeatureExtractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeatureExtractor")
            .field("stemmer", &self.stemmer.is_some())
            .finish()
    }
}

/// What is known of one token before windows are taken.
struct TokenInfo {
    norm: String,
    lower: String,
    shape: String,
    stem: String,
    title: bool,
    upper: bool,
    digit: bool,
}

/// Feature kinds: hashed first (with the window offset), so `w=a` and `w-1=a` never
/// share a key.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Kind {
    Bias = 1,
    Norm,
    Lower,
    Shape,
    Stem,
    Prefix,
    Suffix,
    Title,
    Upper,
    Digit,
    Bos,
    Eos,
    Word,
    StemAt,
    ShapeAt,
    Bigram,
    Pattern,
}

/// FNV-1a over the kind and the parts, folded to 32 bits.
fn key(kind: Kind, at: i8, parts: &[&str]) -> u32 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    };
    eat(kind as u8);
    eat(at as u8);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            eat(0xff); // separator: never a byte of UTF-8
        }
        p.bytes().for_each(&mut eat);
    }
    (h ^ (h >> 32)) as u32
}

/// The word shape: `Maria` → `Xx`, `150` → `d`, `R$1.500` → `X$d.d` (runs collapsed).
fn shape(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

/// The Snowball algorithm for a language code (`pt`, `pt-BR`, `en_US`, ...).
fn stemmer_for(language: &str) -> Option<Stemmer> {
    let code = language.get(..2).unwrap_or(language).to_ascii_lowercase();
    let algorithm = match code.as_str() {
        "pt" => Algorithm::Portuguese,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fr" => Algorithm::French,
        "it" => Algorithm::Italian,
        "de" => Algorithm::German,
        "nl" => Algorithm::Dutch,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

impl FeatureExtractor {
    /// Features for `language` (its Snowball stemmer when there is one).
    pub fn new(language: &str) -> Self {
        Self {
            stemmer: stemmer_for(language),
        }
    }

    fn info(&self, text: &str, norm: &str) -> TokenInfo {
        let mut letters = text.chars().filter(|c| c.is_alphabetic());
        let first_upper = letters.next().is_some_and(char::is_uppercase);
        let rest_lower = text.chars().skip(1).all(|c| !c.is_uppercase());
        let has_letter = text.chars().any(char::is_alphabetic);
        TokenInfo {
            norm: norm.to_owned(),
            lower: text.to_lowercase(),
            shape: shape(text),
            stem: match &self.stemmer {
                Some(s) => s.stem(norm).into_owned(),
                None => norm.to_owned(),
            },
            title: first_upper && rest_lower,
            upper: has_letter && !text.chars().any(char::is_lowercase),
            digit: !text.is_empty() && text.chars().all(|c| c.is_numeric()),
        }
    }

    /// Feature keys for each token of `message`, from its tokens and pattern hits.
    pub fn extract(&self, message: &Message) -> Vec<Vec<u32>> {
        let infos: Vec<TokenInfo> = message
            .tokens
            .iter()
            .map(|t| self.info(&t.text, &t.norm))
            .collect();
        let n = infos.len();
        let word = |i: isize| -> &str {
            match usize::try_from(i).ok().and_then(|i| infos.get(i)) {
                Some(info) => &info.norm,
                None if i < 0 => "<s>",
                None => "</s>",
            }
        };
        let mut out = Vec::with_capacity(n);
        for (t, info) in infos.iter().enumerate() {
            let mut keys = Vec::with_capacity(40);
            let ti = t as isize;
            keys.push(key(Kind::Bias, 0, &[]));
            keys.push(key(Kind::Norm, 0, &[&info.norm]));
            keys.push(key(Kind::Lower, 0, &[&info.lower]));
            keys.push(key(Kind::Shape, 0, &[&info.shape]));
            keys.push(key(Kind::Stem, 0, &[&info.stem]));
            let chars: Vec<(usize, char)> = info.norm.char_indices().collect();
            for len in 1..=3.min(chars.len()) {
                let cut = chars.get(len).map_or(info.norm.len(), |&(b, _)| b);
                keys.push(key(Kind::Prefix, 0, &[&info.norm[..cut]]));
                let from = chars[chars.len() - len].0;
                keys.push(key(Kind::Suffix, 0, &[&info.norm[from..]]));
            }
            for (on, kind) in [
                (info.title, Kind::Title),
                (info.upper, Kind::Upper),
                (info.digit, Kind::Digit),
                (t == 0, Kind::Bos),
                (t + 1 == n, Kind::Eos),
            ] {
                if on {
                    keys.push(key(kind, 0, &[]));
                }
            }
            for d in [-2i8, -1, 1, 2] {
                keys.push(key(Kind::Word, d, &[word(ti + isize::from(d))]));
            }
            for d in [-1i8, 1] {
                let j = ti + isize::from(d);
                if let Some(other) = usize::try_from(j).ok().and_then(|j| infos.get(j)) {
                    keys.push(key(Kind::StemAt, d, &[&other.stem]));
                    keys.push(key(Kind::ShapeAt, d, &[&other.shape]));
                }
            }
            keys.push(key(Kind::Bigram, -1, &[word(ti - 1), &info.norm]));
            keys.push(key(Kind::Bigram, 1, &[&info.norm, word(ti + 1)]));

            out.push(keys);
        }
        self.add_patterns(message, &mut out);
        out
    }

    /// `B-name` on the first token a hit covers, `I-name` on the others.
    fn add_patterns(&self, message: &Message, out: &mut [Vec<u32>]) {
        for hit in &message.patterns {
            let mut first = true;
            for (t, token) in message.tokens.iter().enumerate() {
                if token.start < hit.end && hit.start < token.end {
                    let bio = if first { "B" } else { "I" };
                    out[t].push(key(Kind::Pattern, 0, &[bio, &hit.name]));
                    first = false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::features::PatternHit;
    use crate::text::Tokenizer;

    fn message(text: &str) -> Message {
        let mut m = Message::new(text);
        m.tokens = Tokenizer::default().tokenize(text);
        m
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Maria"), "Xx");
        assert_eq!(shape("150"), "d");
        assert_eq!(shape("1.500"), "d.d");
        assert_eq!(shape("BELA10"), "Xd");
    }

    #[test]
    fn stems_share_a_key_across_inflections() {
        let fx = FeatureExtractor::new("pt-BR");
        let a = fx.extract(&message("namorado"));
        let b = fx.extract(&message("namorar"));
        let stem = |keys: &[u32]| keys[4];
        assert_eq!(stem(&a[0]), stem(&b[0]));
        assert_ne!(a[0][1], b[0][1], "norms differ");
    }

    #[test]
    fn pattern_hits_mark_covered_tokens() {
        let fx = FeatureExtractor::new("pt");
        let mut m = message("quero limpeza de pele hoje");
        let plain = fx.extract(&m);
        m.patterns.push(PatternHit {
            name: "procedimento".into(),
            start: 6,
            end: 21,
            from_lookup: true,
        });
        let with = fx.extract(&m);
        let added: Vec<usize> = (0..with.len())
            .map(|t| with[t].len() - plain[t].len())
            .collect();
        assert_eq!(added, [0, 1, 1, 1, 0]);
        assert_ne!(with[1].last(), with[2].last(), "B- and I- differ");
        assert_eq!(with[2].last(), with[3].last());
    }
}
