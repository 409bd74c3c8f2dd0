//! A small Duckling-style chart parser: rules combine adjacent items (tokens, numbers,
//! times...) into larger ones until nothing new appears; the extractor then keeps the
//! longest non-overlapping items of the dimensions asked for.

use super::lexer::{Token, TokenKind};
use super::time::TimeNode;
use super::values::{Dimension, DurationValue, Grain, Money};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// A number as the grammar sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Num {
    /// Its value.
    pub value: f64,
    /// Spelled out ("quinze") rather than written in digits.
    pub words: bool,
    /// Digits with separators or a suffix ("1.500", "10k"): not an hour or a day.
    pub formatted: bool,
}

impl Num {
    /// The value when it is a whole number in `lo..=hi`.
    pub fn int_in(&self, lo: i64, hi: i64) -> Option<i64> {
        let v = self.value;
        (v.fract() == 0.0 && v >= lo as f64 && v <= hi as f64).then_some(v as i64)
    }
}

/// A part of a day ("de manhã").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartOfDay {
    /// Dawn, 00–06.
    EarlyMorning,
    /// Morning, 04–12 (Duckling's).
    Morning,
    /// Lunch time, 12–14.
    Lunch,
    /// After lunch, 13–18.
    AfterLunch,
    /// Afternoon, 12–19.
    Afternoon,
    /// Evening and night, 18–24.
    Night,
}

impl PartOfDay {
    /// Hours `[from, to)`.
    pub fn hours(self) -> (i8, i8) {
        match self {
            Self::EarlyMorning => (0, 6),
            Self::Morning => (4, 12),
            Self::Lunch => (12, 14),
            Self::AfterLunch => (13, 18),
            Self::Afternoon => (12, 19),
            Self::Night => (18, 24),
        }
    }

    /// Whether a clock hour `h` (1–12) in this part of the day is after noon.
    pub fn is_pm(self) -> bool {
        matches!(self, Self::Afternoon | Self::Night | Self::AfterLunch)
    }
}

/// Anything the grammar builds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node<'a> {
    /// A token: a word, digits or a punctuation character.
    Tok(&'a str, TokenKind),
    /// A number.
    Number(Num),
    /// An ordinal.
    Ordinal(i64),
    /// A currency word or symbol, before its amount.
    Currency(&'static str),
    /// Money.
    Money(Money),
    /// A unit of time ("dias", "h").
    Unit(Grain, UnitWord),
    /// A part of the day.
    PartOfDay(PartOfDay),
    /// A duration.
    Duration(DurationValue),
    /// A time expression.
    Time(TimeNode),
}

/// How a unit of time was written: `h`/`hs` make an hour of the clock, a full word does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnitWord {
    /// A full word ("horas", "dias").
    Full,
    /// An abbreviation ("h", "hrs", "min", "seg").
    Short,
}

impl Node<'_> {
    /// The dimension it reports, if it is a finished value.
    pub fn dimension(&self) -> Option<Dimension> {
        match self {
            Self::Number(_) => Some(Dimension::Number),
            Self::Ordinal(_) => Some(Dimension::Ordinal),
            Self::Money(_) => Some(Dimension::AmountOfMoney),
            Self::Duration(_) => Some(Dimension::Duration),
            Self::Time(t) if !t.is_latent() => Some(Dimension::Time),
            _ => None,
        }
    }
}

/// What rules may read besides their items: the reference time.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    /// Now, as a civil date-time in the reference zone.
    pub now: DateTime,
    /// The reference zone.
    pub tz: TimeZone,
}

/// What one element of a rule matches.
pub(super) enum Pat {
    /// One token among these words (or punctuation).
    Word(&'static [&'static str]),
    /// An item the predicate accepts; it is passed to the rule's builder.
    Node(fn(&Node<'_>) -> bool),
}

/// An element of a rule; `tight` ones must follow the previous one without a space.
pub(super) struct Elem {
    pat: Pat,
    tight: bool,
}

/// A word element.
pub(super) fn w(words: &'static [&'static str]) -> Elem {
    Elem {
        pat: Pat::Word(words),
        tight: false,
    }
}

/// A captured element.
pub(super) fn n(pred: fn(&Node<'_>) -> bool) -> Elem {
    Elem {
        pat: Pat::Node(pred),
        tight: false,
    }
}

impl Elem {
    /// The same element, written right after the previous one.
    pub fn tight(mut self) -> Self {
        self.tight = true;
        self
    }
}

/// Builds a node from the captured items of a match.
pub(super) type Build = for<'a> fn(&Ctx, &[&Node<'a>]) -> Option<Node<'a>>;

/// A grammar rule.
pub(super) struct Rule {
    /// For debugging.
    pub name: &'static str,
    /// The elements, in order.
    pub elems: Vec<Elem>,
    /// The builder.
    pub build: Build,
}

/// Shorthand to write a rule.
pub(super) fn rule(name: &'static str, elems: Vec<Elem>, build: Build) -> Rule {
    Rule { name, elems, build }
}

/// A node over tokens `start..end`.
#[derive(Debug, Clone)]
pub(super) struct Item<'a> {
    /// First token.
    pub start: usize,
    /// After the last token.
    pub end: usize,
    /// What it is.
    pub node: Node<'a>,
    /// The pass that made it (0: tokens and scanners).
    generation: u32,
}

/// Passes after which parsing stops even if rules still find something (a guard against
/// rules that would feed each other forever).
const MAX_PASSES: u32 = 8;

/// The items found in one text.
pub(super) struct Chart<'t, 'a> {
    tokens: &'t [Token<'a>],
    items: Vec<Item<'a>>,
    by_start: Vec<Vec<usize>>,
}

impl<'t, 'a> Chart<'t, 'a> {
    /// A chart holding one item per token.
    pub fn new(tokens: &'t [Token<'a>]) -> Self {
        let mut chart = Self {
            tokens,
            items: Vec::with_capacity(tokens.len() * 4),
            by_start: vec![Vec::new(); tokens.len()],
        };
        for (i, t) in tokens.iter().enumerate() {
            chart.add(i, i + 1, Node::Tok(t.text, t.kind), 0);
        }
        chart
    }

    /// The tokens.
    pub fn tokens(&self) -> &'t [Token<'a>] {
        self.tokens
    }

    /// Every item.
    pub fn items(&self) -> &[Item<'a>] {
        &self.items
    }

    /// Adds an item made before parsing (by a scanner); duplicates are ignored.
    pub fn seed(&mut self, start: usize, end: usize, node: Node<'a>) {
        self.add(start, end, node, 0);
    }

    fn add(&mut self, start: usize, end: usize, node: Node<'a>, generation: u32) -> bool {
        let exists = self.by_start[start]
            .iter()
            .any(|&i| self.items[i].end == end && self.items[i].node == node);
        if exists {
            return false;
        }
        self.by_start[start].push(self.items.len());
        self.items.push(Item {
            start,
            end,
            node,
            generation,
        });
        true
    }

    /// Applies `rules` until no rule finds anything new.
    pub fn parse(&mut self, rules: &[Rule], ctx: &Ctx) {
        let mut found = Vec::new();
        for pass in 1..=MAX_PASSES {
            for rule in rules {
                for start in 0..self.tokens.len() {
                    let mut caps = Vec::with_capacity(rule.elems.len());
                    self.walk(rule, 0, start, start, &mut caps, pass, ctx, &mut found);
                }
            }
            let mut added = false;
            for (start, end, node) in found.drain(..) {
                added |= self.add(start, end, node, pass);
            }
            if !added {
                break;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        rule: &Rule,
        elem: usize,
        start: usize,
        pos: usize,
        caps: &mut Vec<usize>,
        pass: u32,
        ctx: &Ctx,
        found: &mut Vec<(usize, usize, Node<'a>)>,
    ) {
        let Some(e) = rule.elems.get(elem) else {
            // Semi-naive evaluation: only matches using an item of the last pass are new.
            let fresh = match caps.iter().map(|&i| self.items[i].generation).max() {
                Some(g) => g + 1 == pass,
                None => pass == 1,
            };
            if fresh {
                let nodes: Vec<&Node<'a>> = caps.iter().map(|&i| &self.items[i].node).collect();
                if let Some(node) = (rule.build)(ctx, &nodes) {
                    found.push((start, pos, node));
                }
            }
            return;
        };
        let Some(token) = self.tokens.get(pos) else {
            return;
        };
        if e.tight && elem > 0 && token.space_before {
            return;
        }
        match &e.pat {
            Pat::Word(words) => {
                if token.kind != TokenKind::Digits && words.contains(&token.text) {
                    self.walk(rule, elem + 1, start, pos + 1, caps, pass, ctx, found);
                }
            }
            Pat::Node(pred) => {
                for &i in &self.by_start[pos] {
                    let item = &self.items[i];
                    if item.generation >= pass || !pred(&item.node) {
                        continue;
                    }
                    caps.push(i);
                    self.walk(rule, elem + 1, start, item.end, caps, pass, ctx, found);
                    caps.pop();
                }
            }
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({}, {} elements)", self.name, self.elems.len())
    }
}
