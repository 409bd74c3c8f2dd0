//! Regex and lookup-table matching over a message: the hits are features for the
//! classifier and the tagger, and entities for the rule-based extractor.

use crate::data::{LookupTable, RegexPattern};
use crate::text::fold;
use crate::{Error, Result};
use regex::{Regex, RegexBuilder};

/// One match of a named pattern, in characters of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternHit {
    /// The regex or lookup table name.
    pub name: String,
    /// Start offset in characters.
    pub start: usize,
    /// End offset in characters (exclusive).
    pub end: usize,
    /// True for a lookup-table hit, false for a regex hit.
    pub from_lookup: bool,
}

/// Compiled regexes and lookup tables. Built once at training/load time; matching never
/// compiles anything.
#[derive(Debug, Clone)]
pub struct PatternMatcher {
    regexes: Vec<(String, Regex)>,
    lookups: Vec<(String, Regex)>,
}

impl PatternMatcher {
    /// Compiles `regexes` (case-insensitive, as Rasa's default) and `lookups` (matched
    /// on whole words, ignoring case and accents).
    pub fn new(regexes: &[RegexPattern], lookups: &[LookupTable]) -> Result<Self> {
        let mut compiled = Vec::new();
        for r in regexes {
            for p in &r.patterns {
                let re = RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| Error::Config(format!("regex `{}`: {e}", r.name)))?;
                compiled.push((r.name.clone(), re));
            }
        }
        let mut lookup_res = Vec::new();
        for l in lookups {
            let mut elements: Vec<String> = l
                .elements
                .iter()
                .map(|e| fold(e.trim()))
                .filter(|e| !e.is_empty())
                .collect();
            if elements.is_empty() {
                continue;
            }
            // Longest first so the alternation prefers the longest phrase.
            elements.sort_by_key(|e| std::cmp::Reverse(e.chars().count()));
            elements.dedup();
            let alternation = elements
                .iter()
                .map(|e| regex::escape(e))
                .collect::<Vec<_>>()
                .join("|");
            let re = Regex::new(&format!(r"\b(?:{alternation})\b"))
                .map_err(|e| Error::Config(format!("lookup table `{}`: {e}", l.name)))?;
            lookup_res.push((l.name.clone(), re));
        }
        Ok(Self {
            regexes: compiled,
            lookups: lookup_res,
        })
    }

    /// True when there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty() && self.lookups.is_empty()
    }

    /// All hits in `text`, regexes first, in order of position.
    pub fn find(&self, text: &str) -> Vec<PatternHit> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        let offsets = CharOffsets::new(text);
        for (name, re) in &self.regexes {
            for m in re.find_iter(text) {
                if m.start() == m.end() {
                    continue;
                }
                hits.push(PatternHit {
                    name: name.clone(),
                    start: offsets.char_at(m.start()),
                    end: offsets.char_at(m.end()),
                    from_lookup: false,
                });
            }
        }
        if !self.lookups.is_empty() {
            // fold keeps one char per char, so char offsets in `folded` are offsets in `text`
            // (after NFC, which is what users send in practice).
            let folded = fold(text);
            let folded_offsets = CharOffsets::new(&folded);
            for (name, re) in &self.lookups {
                for m in re.find_iter(&folded) {
                    hits.push(PatternHit {
                        name: name.clone(),
                        start: folded_offsets.char_at(m.start()),
                        end: folded_offsets.char_at(m.end()),
                        from_lookup: true,
                    });
                }
            }
        }
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        hits
    }
}

/// Converts byte offsets of a string into character offsets.
struct CharOffsets {
    /// Byte offset of each char boundary, plus the length at the end.
    boundaries: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let mut boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        boundaries.push(text.len());
        Self { boundaries }
    }

    fn char_at(&self, byte: usize) -> usize {
        self.boundaries
            .binary_search(&byte)
            .unwrap_or_else(|insert_at| insert_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> PatternMatcher {
        PatternMatcher::new(
            &[RegexPattern {
                name: "voucher".into(),
                patterns: vec![r"\b[A-Z]{3,}[0-9]{1,3}\b".into()],
                location: None,
            }],
            &[LookupTable {
                name: "procedure".into(),
                elements: vec!["limpeza de pele".into(), "Botox".into(), "peeling".into()],
                location: None,
            }],
        )
        .expect("valid patterns")
    }

    #[test]
    fn finds_regex_and_lookup_hits_with_char_offsets() {
        let text = "Orçamento de botox e limpeza de péle com o cupom BELA10";
        let hits = matcher().find(text);
        let spans: Vec<(&str, String)> = hits
            .iter()
            .map(|h| {
                (
                    h.name.as_str(),
                    text.chars().skip(h.start).take(h.end - h.start).collect(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            [
                ("procedure", "botox".to_string()),
                ("procedure", "limpeza de péle".to_string()),
                ("voucher", "BELA10".to_string()),
            ]
        );
    }

    #[test]
    fn lookup_matches_whole_words_only() {
        assert!(matcher().find("botoxes").is_empty());
    }

    #[test]
    fn bad_regex_is_a_config_error() {
        let err = PatternMatcher::new(
            &[RegexPattern {
                name: "x".into(),
                patterns: vec!["(".into()],
                location: None,
            }],
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("regex `x`"));
    }
}
