//! Ordinals: "primeiro", "décima segunda", "quinquagésimo oitavo", "1º", "2ª".

use super::chart::{Chart, Node};
use super::lexer::TokenKind;

/// Stems (word minus its o/a/os/as ending) and values.
const STEMS: &[(&str, i64)] = &[
    ("primeir", 1),
    ("segund", 2),
    ("terceir", 3),
    ("quart", 4),
    ("quint", 5),
    ("sext", 6),
    ("setim", 7),
    ("oitav", 8),
    ("non", 9),
    ("decim", 10),
    ("vigesim", 20),
    ("trigesim", 30),
    ("quadragesim", 40),
    ("quinquagesim", 50),
    ("sexagesim", 60),
    ("septuagesim", 70),
    ("setuagesim", 70),
    ("octogesim", 80),
    ("nonagesim", 90),
    ("centesim", 100),
];

/// The value of one ordinal word.
pub(super) fn ordinal_word(word: &str) -> Option<i64> {
    let word = word.strip_suffix('s').unwrap_or(word);
    let stem = word.strip_suffix('o').or_else(|| word.strip_suffix('a'))?;
    STEMS.iter().find(|(s, _)| *s == stem).map(|&(_, v)| v)
}

/// Seeds ordinals in words (a tens ordinal may take a unit one: "décimo primeiro") and
/// in digits with `o`/`a` (º and ª fold to those).
pub(super) fn scan(chart: &mut Chart<'_, '_>) {
    let tokens = chart.tokens();
    for i in 0..tokens.len() {
        let t = &tokens[i];
        match t.kind {
            TokenKind::Word => {
                let Some(v) = ordinal_word(t.text) else {
                    continue;
                };
                chart.seed(i, i + 1, Node::Ordinal(v));
                if v >= 10 && v % 10 == 0 {
                    let unit = tokens
                        .get(i + 1)
                        .and_then(|u| ordinal_word(u.text))
                        .filter(|u| *u < 10);
                    if let Some(u) = unit {
                        chart.seed(i, i + 2, Node::Ordinal(v + u));
                    }
                }
            }
            TokenKind::Digits => {
                let suffix = tokens
                    .get(i + 1)
                    .filter(|s| !s.space_before && matches!(s.text, "o" | "a" | "os" | "as"));
                if let (Some(_), Ok(v)) = (suffix, t.text.parse::<i64>()) {
                    chart.seed(i, i + 2, Node::Ordinal(v));
                }
            }
            TokenKind::Punct | TokenKind::Code => {}
        }
    }
}
