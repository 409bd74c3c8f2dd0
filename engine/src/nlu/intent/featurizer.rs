//! Turns a tokenized message into feature keys: words, word bigrams, stems, character
//! n-grams and pattern hits. Keys are hashed on the fly so inference allocates no strings.

use crate::nlu::Message;
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of a feature. Each group is L2-normalised on its own, so the many character
/// n-grams do not drown the few words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Group {
    Word,
    Bigram,
    Stem,
    Char,
    Pattern,
    /// Punctuation the tokenizer drops but that tells intents apart (`beleza?` greets,
    /// `beleza!` thanks) and whether the message holds a number.
    Shape,
}

impl Group {
    /// Number of groups.
    pub(crate) const COUNT: usize = 6;

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The one-letter prefix of the group in saved vocabulary keys.
    pub(crate) fn prefix(self) -> char {
        match self {
            Group::Word => 'w',
            Group::Bigram => 'b',
            Group::Stem => 's',
            Group::Char => 'c',
            Group::Pattern => 'p',
            Group::Shape => 'h',
        }
    }

    pub(crate) fn from_prefix(c: char) -> Option<Self> {
        [
            Group::Word,
            Group::Bigram,
            Group::Stem,
            Group::Char,
            Group::Pattern,
            Group::Shape,
        ]
        .into_iter()
        .find(|g| g.prefix() == c)
    }

    /// Whether rare keys of this group are dropped (the open-ended n-gram groups).
    pub(crate) fn pruned(self) -> bool {
        matches!(self, Group::Bigram | Group::Char)
    }
}

/// The Snowball stemmers the featurizer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum StemLanguage {
    Portuguese,
    English,
}

impl StemLanguage {
    /// The stemmer for a language code (`pt`, `pt-BR`, `en`...), if there is one.
    pub(crate) fn for_language(code: &str) -> Option<Self> {
        let base = code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "pt" => Some(Self::Portuguese),
            "en" => Some(Self::English),
            _ => None,
        }
    }
}

/// What the featurizer extracts; saved with the model so inference matches training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FeatureSpec {
    pub(crate) char_ngrams: [usize; 2],
    pub(crate) bigrams: bool,
    pub(crate) stemmer: Option<StemLanguage>,
}

/// Extracts feature keys from messages.
pub(crate) struct Featurizer {
    spec: FeatureSpec,
    stemmer: Option<Stemmer>,
}

impl fmt::Debug for Featurizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Featurizer")
            .field("spec", &self.spec)
            .finish()
    }
}

impl Featurizer {
    pub(crate) fn new(spec: FeatureSpec) -> Self {
        let stemmer = spec.stemmer.map(|l| {
            Stemmer::create(match l {
                StemLanguage::Portuguese => Algorithm::Portuguese,
                StemLanguage::English => Algorithm::English,
            })
        });
        Self { spec, stemmer }
    }

    pub(crate) fn spec(&self) -> &FeatureSpec {
        &self.spec
    }

    /// Calls `emit(group, key)` once per feature occurrence in `message`; `key` is a
    /// scratch buffer (reused so inference allocates nothing here).
    pub(crate) fn for_each_feature(
        &self,
        message: &Message,
        key: &mut Vec<char>,
        mut emit: impl FnMut(Group, &[char]),
    ) {
        // A norm may hold several words (`pfv` → `por favor`).
        let words = message
            .tokens
            .iter()
            .flat_map(|t| t.norm.split_whitespace());
        // Sentence start and end are the empty word, so edge bigrams are ` first`, `last `.
        let mut prev = "";
        let mut digits = false;
        for w in words.chain(std::iter::once("")) {
            if self.spec.bigrams && !(prev.is_empty() && w.is_empty()) {
                key.clear();
                key.extend(prev.chars());
                key.push(' ');
                key.extend(w.chars());
                emit(Group::Bigram, key);
            }
            prev = w;
            if w.is_empty() {
                break;
            }
            digits |= w.bytes().any(|b| b.is_ascii_digit());
            key.clear();
            key.extend(w.chars());
            emit(Group::Word, key);
            if let Some(stemmer) = &self.stemmer {
                key.clear();
                key.extend(stemmer.stem(w).chars());
                emit(Group::Stem, key);
            }
            self.char_ngrams(w, key, &mut emit);
        }
        for hit in &message.patterns {
            key.clear();
            key.extend(hit.name.chars());
            emit(Group::Pattern, key);
        }
        self.shape(message, digits, &mut emit);
    }

    /// Traits of the message as written that tokens' norms lose: punctuation, case,
    /// length, numbers (a lone capitalised word is likely a name; `beleza?` greets,
    /// `beleza!` thanks).
    fn shape(&self, message: &Message, digits: bool, emit: &mut impl FnMut(Group, &[char])) {
        for mark in ['?', '!'] {
            if message.text.contains(mark) {
                emit(Group::Shape, &[mark]);
            }
        }
        if digits {
            emit(Group::Shape, &['0']);
        }
        let capitalised = |t: &&crate::text::Token| {
            let mut cs = t.text.chars();
            cs.next().is_some_and(char::is_uppercase) && cs.all(|c| !c.is_uppercase())
        };
        if message.tokens.iter().any(|t| capitalised(&t)) {
            emit(Group::Shape, &['A', 'a']);
        }
        let shouted = |t: &crate::text::Token| {
            t.text.chars().count() > 1
                && t.text.chars().all(|c| !c.is_lowercase())
                && t.text.chars().any(char::is_uppercase)
        };
        if message.tokens.iter().any(shouted) {
            emit(Group::Shape, &['A', 'A']);
        }
        let length = match message.tokens.len() {
            0 => '0',
            1 => '1',
            2 => '2',
            3..=5 => '3',
            _ => '6',
        };
        emit(Group::Shape, &['#', length]);
    }

    /// Character n-grams of `word`, with `<` and `>` marking its boundaries so prefixes
    /// and suffixes are features of their own.
    fn char_ngrams(&self, word: &str, key: &mut Vec<char>, emit: &mut impl FnMut(Group, &[char])) {
        let [lo, hi] = self.spec.char_ngrams;
        if lo == 0 {
            return;
        }
        key.clear();
        key.push('<');
        key.extend(word.chars());
        key.push('>');
        for n in lo..=hi.min(key.len()) {
            for gram in key.windows(n) {
                emit(Group::Char, gram);
            }
        }
    }
}

/// A stable 64-bit hash of a feature key (FNV-1a, then a final mix so every bit of the
/// result depends on every input bit; the vocabulary uses it directly as a hash-map key).
pub(crate) fn feature_hash(group: Group, key: &[char]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    h = (h ^ group.index() as u64).wrapping_mul(PRIME);
    for &c in key {
        h = (h ^ c as u64).wrapping_mul(PRIME);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{SlangTable, Tokenizer};

    fn keys(spec: FeatureSpec, text: &str) -> Vec<(Group, String)> {
        let mut m = Message::new(text);
        m.tokens = Tokenizer::new(SlangTable::default_pt()).tokenize(text);
        let mut out = Vec::new();
        Featurizer::new(spec).for_each_feature(&m, &mut Vec::new(), |g, k| {
            out.push((g, k.iter().collect()))
        });
        out
    }

    fn spec() -> FeatureSpec {
        FeatureSpec {
            char_ngrams: [3, 4],
            bigrams: true,
            stemmer: Some(StemLanguage::Portuguese),
        }
    }

    #[test]
    fn extracts_every_group_from_norms() {
        let k = keys(spec(), "Qto custa");
        let of = |g: Group| -> Vec<&str> {
            k.iter()
                .filter(|(kg, _)| *kg == g)
                .map(|(_, s)| s.as_str())
                .collect()
        };
        assert_eq!(of(Group::Word), ["quanto", "custa"]);
        assert_eq!(of(Group::Bigram), [" quanto", "quanto custa", "custa "]);
        assert_eq!(of(Group::Stem).len(), 2);
        assert!(of(Group::Char).contains(&"<qua"));
        assert!(of(Group::Char).contains(&"sta>"));
    }

    #[test]
    fn multiword_norms_are_split() {
        let k = keys(spec(), "pfv");
        let words: Vec<&str> = k
            .iter()
            .filter(|(g, _)| *g == Group::Word)
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!(words, ["por", "favor"]);
    }

    #[test]
    fn hash_separates_groups_and_keys() {
        let a: Vec<char> = "botox".chars().collect();
        let b: Vec<char> = "botoks".chars().collect();
        assert_ne!(feature_hash(Group::Word, &a), feature_hash(Group::Stem, &a));
        assert_ne!(feature_hash(Group::Word, &a), feature_hash(Group::Word, &b));
        assert_eq!(feature_hash(Group::Word, &a), feature_hash(Group::Word, &a));
    }

    #[test]
    fn stemmer_only_for_known_languages() {
        assert_eq!(
            StemLanguage::for_language("pt-BR"),
            Some(StemLanguage::Portuguese)
        );
        assert_eq!(
            StemLanguage::for_language("en"),
            Some(StemLanguage::English)
        );
        assert_eq!(StemLanguage::for_language("de"), None);
    }
}
