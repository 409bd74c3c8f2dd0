//! Tag schemes (BILOU, BIO): annotations to per-token tags and tag sequences back to spans.
//!
//! Tags are laid out so that the tags a tag may follow form one contiguous range (or two
//! single tags), which lets the model's inner loops run over plain slices:
//! BILOU is `B-* | O | U-* | L-* | I-*`, BIO is `B-* | O | I-*`.

use crate::data::EntityAnnotation;
use crate::text::Token;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What a tag carries besides its position: the entity type, role and group, so roles
/// and groups come back out of the tagger.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Label {
    /// The entity type.
    pub entity: String,
    /// Optional role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Optional group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Label {
    /// A label for `entity` with no role or group.
    pub fn new(entity: &str) -> Self {
        Self {
            entity: entity.to_owned(),
            role: None,
            group: None,
        }
    }

    /// The label of an annotation.
    pub fn of(annotation: &EntityAnnotation) -> Self {
        Self {
            entity: annotation.entity.as_str().to_owned(),
            role: annotation.role.clone(),
            group: annotation.group.clone(),
        }
    }
}

/// How entity spans are written as token tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TagScheme {
    /// Begin, Inside, Last, Outside, Unit: 4 tags per label, sharper boundaries.
    Bilou,
    /// Begin, Inside, Outside: 2 tags per label, cheaper with many labels.
    Bio,
}

/// The meaning of one tag; the number is the label index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Not in an entity.
    Outside,
    /// First token of a multi-token entity (BIO: of any entity).
    Begin(usize),
    /// Inner token (BIO: any token after the first).
    Inside(usize),
    /// Last token of a multi-token entity (BILOU only).
    Last(usize),
    /// Single-token entity (BILOU only).
    Unit(usize),
}

/// The tags a tag may follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preds {
    /// Any tag in the range.
    Range(Range<usize>),
    /// Exactly these two tags (`B-x` or `I-x` before `I-x`/`L-x`).
    Pair(usize, usize),
}

/// An entity as a run of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpan {
    /// First token, inclusive.
    pub first: usize,
    /// Last token, inclusive.
    pub last: usize,
    /// Index into the tag set's labels.
    pub label: usize,
}

/// The tags of a model: a scheme over a list of labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagSet {
    /// The scheme.
    pub scheme: TagScheme,
    /// The labels, in tag order.
    pub labels: Vec<Label>,
}

impl TagSet {
    /// A tag set over `labels`.
    pub fn new(scheme: TagScheme, labels: Vec<Label>) -> Self {
        Self { scheme, labels }
    }

    fn k(&self) -> usize {
        self.labels.len()
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        match self.scheme {
            TagScheme::Bilou => 4 * self.k() + 1,
            TagScheme::Bio => 2 * self.k() + 1,
        }
    }

    /// Always false: there is at least the outside tag.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The outside tag.
    pub fn outside(&self) -> usize {
        self.k()
    }

    /// The tag for `part`; BILOU-only parts fall back to their BIO meaning under BIO.
    pub fn tag(&self, part: Part) -> usize {
        let k = self.k();
        match (self.scheme, part) {
            (_, Part::Outside) => k,
            (_, Part::Begin(x)) | (TagScheme::Bio, Part::Unit(x)) => x,
            (TagScheme::Bilou, Part::Unit(x)) => k + 1 + x,
            (TagScheme::Bilou, Part::Last(x)) => 2 * k + 1 + x,
            (TagScheme::Bilou, Part::Inside(x)) => 3 * k + 1 + x,
            (TagScheme::Bio, Part::Inside(x) | Part::Last(x)) => k + 1 + x,
        }
    }

    /// The meaning of `tag`.
    pub fn part(&self, tag: usize) -> Part {
        let k = self.k();
        match self.scheme {
            _ if tag < k => Part::Begin(tag),
            _ if tag == k => Part::Outside,
            TagScheme::Bio => Part::Inside(tag - k - 1),
            TagScheme::Bilou if tag <= 2 * k => Part::Unit(tag - k - 1),
            TagScheme::Bilou if tag <= 3 * k => Part::Last(tag - 2 * k - 1),
            TagScheme::Bilou => Part::Inside(tag - 3 * k - 1),
        }
    }

    /// The tags that may come right before `tag`.
    pub fn preds(&self, tag: usize) -> Preds {
        let k = self.k();
        match (self.scheme, self.part(tag)) {
            (TagScheme::Bilou, Part::Inside(x) | Part::Last(x)) => {
                Preds::Pair(x, self.tag(Part::Inside(x)))
            }
            // Tags that open something follow tags that close something: O, U-*, L-*.
            (TagScheme::Bilou, _) => Preds::Range(k..3 * k + 1),
            (TagScheme::Bio, Part::Inside(x)) => Preds::Pair(x, self.tag(Part::Inside(x))),
            (TagScheme::Bio, _) => Preds::Range(0..self.len()),
        }
    }

    /// Number of label-independent tag classes ([`class`](Self::class)).
    pub const CLASSES: usize = 4;

    /// The class of `tag` shared by all labels (`B`, `I`, `L`, `U` → 0..4), which lets a
    /// feature vote for "some entity starts here" across labels; `None` for `O`.
    pub fn class(&self, tag: usize) -> Option<usize> {
        match self.part(tag) {
            Part::Outside => None,
            Part::Begin(_) => Some(0),
            Part::Inside(_) => Some(1),
            Part::Last(_) => Some(2),
            Part::Unit(_) => Some(3),
        }
    }

    /// Whether a sentence may start with `tag`.
    pub fn can_start(&self, tag: usize) -> bool {
        matches!(
            self.part(tag),
            Part::Outside | Part::Begin(_) | Part::Unit(_)
        )
    }

    /// Whether a sentence may end with `tag`.
    pub fn can_end(&self, tag: usize) -> bool {
        match self.scheme {
            TagScheme::Bilou => matches!(
                self.part(tag),
                Part::Outside | Part::Last(_) | Part::Unit(_)
            ),
            TagScheme::Bio => true,
        }
    }

    /// The tags of `n` tokens holding `spans` (which must not overlap).
    pub fn encode(&self, n: usize, spans: &[TokenSpan]) -> Vec<usize> {
        let mut tags = vec![self.outside(); n];
        for s in spans.iter().filter(|s| s.first <= s.last && s.last < n) {
            if s.first == s.last {
                tags[s.first] = self.tag(Part::Unit(s.label));
                continue;
            }
            tags[s.first] = self.tag(Part::Begin(s.label));
            for t in &mut tags[s.first + 1..s.last] {
                *t = self.tag(Part::Inside(s.label));
            }
            tags[s.last] = self.tag(Part::Last(s.label));
        }
        tags
    }

    /// The spans in a tag sequence. Tolerates invalid sequences (an `I` without its `B`,
    /// a `B` never closed) by starting and closing spans where the sequence breaks.
    pub fn decode(&self, tags: &[usize]) -> Vec<TokenSpan> {
        let mut spans = Vec::new();
        let mut open: Option<(usize, usize)> = None; // (label, first token)
        let close = |open: &mut Option<(usize, usize)>, last: usize, spans: &mut Vec<TokenSpan>| {
            if let Some((label, first)) = open.take() {
                spans.push(TokenSpan { first, last, label });
            }
        };
        for (t, &tag) in tags.iter().enumerate() {
            let prev = t.wrapping_sub(1);
            match self.part(tag) {
                Part::Outside => close(&mut open, prev, &mut spans),
                Part::Begin(x) => {
                    close(&mut open, prev, &mut spans);
                    open = Some((x, t));
                }
                Part::Inside(x) => {
                    if open.is_none_or(|(label, _)| label != x) {
                        close(&mut open, prev, &mut spans);
                        open = Some((x, t));
                    }
                }
                Part::Last(x) => {
                    if open.is_none_or(|(label, _)| label != x) {
                        close(&mut open, prev, &mut spans);
                        open = Some((x, t));
                    }
                    close(&mut open, t, &mut spans);
                }
                Part::Unit(x) => {
                    close(&mut open, prev, &mut spans);
                    spans.push(TokenSpan {
                        first: t,
                        last: t,
                        label: x,
                    });
                }
            }
        }
        close(&mut open, tags.len().wrapping_sub(1), &mut spans);
        spans
    }
}

/// The token runs covered by `annotations` (a token belongs to an entity when their
/// characters overlap, so a misaligned annotation takes the whole token). Annotations
/// that cover no token, or a token already taken by an earlier one, are skipped; `label`
/// gives the label index of an annotation, or `None` to skip it.
pub fn token_spans(
    tokens: &[Token],
    annotations: &[EntityAnnotation],
    mut label: impl FnMut(&EntityAnnotation) -> Option<usize>,
) -> Vec<TokenSpan> {
    let mut order: Vec<&EntityAnnotation> = annotations.iter().collect();
    order.sort_by_key(|a| (a.start, a.end));
    let mut spans: Vec<TokenSpan> = Vec::new();
    for a in order {
        let mut covered = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.start < a.end && a.start < t.end)
            .map(|(i, _)| i);
        let Some(first) = covered.next() else {
            continue;
        };
        let last = covered.next_back().unwrap_or(first);
        if spans.last().is_some_and(|s| s.last >= first) {
            continue;
        }
        if let Some(label) = label(a) {
            spans.push(TokenSpan { first, last, label });
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Tokenizer;

    fn labels(names: &[&str]) -> Vec<Label> {
        names
            .iter()
            .map(|n| Label {
                entity: (*n).into(),
                role: None,
                group: None,
            })
            .collect()
    }

    fn annotation(text: &str, span: &str, entity: &str) -> EntityAnnotation {
        let byte = text.find(span).expect("span in text");
        let start = text[..byte].chars().count();
        EntityAnnotation {
            start,
            end: start + span.chars().count(),
            entity: entity.into(),
            value: span.into(),
            role: None,
            group: None,
        }
    }

    fn names(set: &TagSet, tags: &[usize]) -> Vec<String> {
        tags.iter()
            .map(|&t| match set.part(t) {
                Part::Outside => "O".to_string(),
                Part::Begin(x) => format!("B-{}", set.labels[x].entity),
                Part::Inside(x) => format!("I-{}", set.labels[x].entity),
                Part::Last(x) => format!("L-{}", set.labels[x].entity),
                Part::Unit(x) => format!("U-{}", set.labels[x].entity),
            })
            .collect()
    }

    fn spans_of(set: &TagSet, text: &str, anns: &[EntityAnnotation]) -> (usize, Vec<TokenSpan>) {
        let tokens = Tokenizer::default().tokenize(text);
        let spans = token_spans(&tokens, anns, |a| {
            set.labels
                .iter()
                .position(|l| l.entity == a.entity.as_str())
        });
        (tokens.len(), spans)
    }

    #[test]
    fn bilou_marks_multi_token_and_adjacent_entities() {
        let set = TagSet::new(TagScheme::Bilou, labels(&["procedimento", "dia"]));
        let text = "quero preenchimento labial sexta de manhã";
        let anns = [
            annotation(text, "preenchimento labial", "procedimento"),
            annotation(text, "sexta", "dia"),
        ];
        let (n, spans) = spans_of(&set, text, &anns);
        let tags = set.encode(n, &spans);
        assert_eq!(
            names(&set, &tags),
            ["O", "B-procedimento", "L-procedimento", "U-dia", "O", "O"]
        );
        assert_eq!(set.decode(&tags), spans);
    }

    #[test]
    fn bio_marks_adjacent_entities_of_one_type_apart() {
        let set = TagSet::new(TagScheme::Bio, labels(&["procedimento"]));
        let text = "botox limpeza de pele";
        let anns = [
            annotation(text, "botox", "procedimento"),
            annotation(text, "limpeza de pele", "procedimento"),
        ];
        let (n, spans) = spans_of(&set, text, &anns);
        let tags = set.encode(n, &spans);
        assert_eq!(
            names(&set, &tags),
            [
                "B-procedimento",
                "B-procedimento",
                "I-procedimento",
                "I-procedimento"
            ]
        );
        assert_eq!(set.decode(&tags), spans);
    }

    #[test]
    fn misaligned_and_overlapping_annotations() {
        let set = TagSet::new(TagScheme::Bilou, labels(&["valor"]));
        let text = "custa 150 ou 200";
        // "15" ends inside the token "150": the whole token is taken.
        let inner = annotation(text, "15", "valor");
        let overlapping = annotation(text, "150", "valor");
        let (_, spans) = spans_of(&set, text, &[inner, overlapping]);
        assert_eq!(spans.len(), 1, "the overlapping annotation is skipped");
        let tokens = Tokenizer::default().tokenize(text);
        assert_eq!(tokens[spans[0].first].text, "150");
    }

    #[test]
    fn decoding_tolerates_invalid_sequences() {
        let set = TagSet::new(TagScheme::Bilou, labels(&["a", "b"]));
        let i_a = set.tag(Part::Inside(0));
        let b_b = set.tag(Part::Begin(1));
        let l_a = set.tag(Part::Last(0));
        let o = set.outside();
        // I-a I-a B-b O L-a: a dangling run, an unclosed B, a lone L.
        let spans = set.decode(&[i_a, i_a, b_b, o, l_a]);
        let got: Vec<(usize, usize, usize)> =
            spans.iter().map(|s| (s.first, s.last, s.label)).collect();
        assert_eq!(got, [(0, 1, 0), (2, 2, 1), (4, 4, 0)]);
    }

    #[test]
    fn transitions_allow_only_valid_sequences() {
        for scheme in [TagScheme::Bilou, TagScheme::Bio] {
            let set = TagSet::new(scheme, labels(&["a", "b"]));
            let allowed = |prev: usize, next: usize| match set.preds(next) {
                Preds::Range(r) => r.contains(&prev),
                Preds::Pair(a, b) => prev == a || prev == b,
            };
            let b_a = set.tag(Part::Begin(0));
            let i_a = set.tag(Part::Inside(0));
            let i_b = set.tag(Part::Inside(1));
            assert!(allowed(b_a, i_a));
            assert!(!allowed(b_a, i_b));
            assert!(!allowed(set.outside(), i_a));
            assert!(!set.can_start(i_a));
            for t in 0..set.len() {
                assert_eq!(set.tag(set.part(t)), t, "tag/part round trip");
            }
        }
    }
}
