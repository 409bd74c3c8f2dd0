//! A small Duckling-style chart parser: rules combine adjacent items (tokens, numbers,
//! times...) into larger ones until nothing new appears; the extractor then keeps the
//! longest non-overlapping items of the dimensions asked for.

use super::lexer::{Token, TokenKind};
use super::time::TimeNode;
use super::values::{Dimension, DurationValue, Grain, Money};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use std::collections::HashMap;

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

/// The kind of a node, for indexing rules by what they start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A token.
    Tok,
    /// [`Node::Number`].
    Number,
    /// [`Node::Ordinal`].
    Ordinal,
    /// [`Node::Currency`].
    Currency,
    /// [`Node::Money`].
    Money,
    /// [`Node::Unit`].
    Unit,
    /// [`Node::PartOfDay`].
    PartOfDay,
    /// [`Node::Duration`].
    Duration,
    /// [`Node::Time`].
    Time,
}

/// How many kinds there are.
const KINDS: usize = 9;

impl Node<'_> {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Self::Tok(..) => Kind::Tok,
            Self::Number(_) => Kind::Number,
            Self::Ordinal(_) => Kind::Ordinal,
            Self::Currency(_) => Kind::Currency,
            Self::Money(_) => Kind::Money,
            Self::Unit(..) => Kind::Unit,
            Self::PartOfDay(_) => Kind::PartOfDay,
            Self::Duration(_) => Kind::Duration,
            Self::Time(_) => Kind::Time,
        }
    }

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
    /// One of these words, or nothing ("15 de março", "15 março").
    OptWord(&'static [&'static str]),
    /// An item of this kind that the predicate accepts; it is passed to the rule's
    /// builder.
    Node(Kind, fn(&Node<'_>) -> bool),
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

/// An optional word element (never first in a rule).
pub(super) fn opt(words: &'static [&'static str]) -> Elem {
    Elem {
        pat: Pat::OptWord(words),
        tight: false,
    }
}

/// A captured element.
pub(super) fn n(kind: Kind, pred: fn(&Node<'_>) -> bool) -> Elem {
    Elem {
        pat: Pat::Node(kind, pred),
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

    /// Applies the grammar's rules until none finds anything new.
    pub fn parse(&mut self, grammar: &Grammar, ctx: &Ctx) {
        let mut found = Vec::new();
        let mut caps = Vec::with_capacity(8);
        for pass in 1..=MAX_PASSES {
            for start in 0..self.tokens.len() {
                for &i in &self.by_start[start] {
                    let item = &self.items[i];
                    if item.generation >= pass {
                        continue;
                    }
                    let (rules, first): (&[usize], usize) = match &item.node {
                        // Rules that open with a word start at the token itself.
                        Node::Tok(text, TokenKind::Word | TokenKind::Punct) => (
                            grammar.by_first_word.get(text).map_or(&[], Vec::as_slice),
                            0,
                        ),
                        Node::Tok(..) => continue,
                        node => (&grammar.by_first_kind[node.kind() as usize], 1),
                    };
                    for &r in rules {
                        let rule = &grammar.rules[r];
                        caps.clear();
                        let walk = Walk {
                            rule,
                            start,
                            pass,
                            ctx,
                        };
                        if first == 0 {
                            self.walk(&walk, 0, start, &mut caps, &mut found);
                        } else if let Some(Pat::Node(_, pred)) = rule.elems.first().map(|e| &e.pat)
                            && pred(&item.node)
                        {
                            caps.push(i);
                            self.walk(&walk, 1, item.end, &mut caps, &mut found);
                        }
                    }
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

    fn walk(
        &self,
        w: &Walk<'_>,
        elem: usize,
        pos: usize,
        caps: &mut Vec<usize>,
        found: &mut Vec<(usize, usize, Node<'a>)>,
    ) {
        let rule = w.rule;
        // Semi-naive evaluation: only matches using an item of the last pass are new.
        let fresh = |caps: &[usize]| match caps.iter().map(|&i| self.items[i].generation).max() {
            Some(g) => g + 1 == w.pass,
            None => w.pass == 1,
        };
        let Some(e) = rule.elems.get(elem) else {
            if fresh(caps) {
                let nodes: Vec<&Node<'a>> = caps.iter().map(|&i| &self.items[i].node).collect();
                if let Some(node) = (rule.build)(w.ctx, &nodes) {
                    found.push((w.start, pos, node));
                }
            }
            return;
        };
        let Some(token) = self.tokens.get(pos) else {
            // Past the last token only an optional word can still match (as nothing).
            if matches!(e.pat, Pat::OptWord(_)) {
                self.walk(w, elem + 1, pos, caps, found);
            }
            return;
        };
        if e.tight && elem > 0 && token.space_before {
            return;
        }
        let last = elem + 1 == rule.elems.len();
        match &e.pat {
            Pat::Word(words) => {
                if last && !fresh(caps) {
                    return;
                }
                if matches!(token.kind, TokenKind::Word | TokenKind::Punct)
                    && words.contains(&token.text)
                {
                    self.walk(w, elem + 1, pos + 1, caps, found);
                }
            }
            Pat::OptWord(words) => {
                if matches!(token.kind, TokenKind::Word | TokenKind::Punct)
                    && words.contains(&token.text)
                {
                    self.walk(w, elem + 1, pos + 1, caps, found);
                }
                self.walk(w, elem + 1, pos, caps, found);
            }
            Pat::Node(kind, pred) => {
                // The last element must bring the new item if none came before.
                let need_new = last && !fresh(caps);
                for &i in &self.by_start[pos] {
                    let item = &self.items[i];
                    if item.generation >= w.pass
                        || (need_new && item.generation + 1 != w.pass)
                        || item.node.kind() != *kind
                        || !pred(&item.node)
                    {
                        continue;
                    }
                    caps.push(i);
                    self.walk(w, elem + 1, item.end, caps, found);
                    caps.pop();
                }
            }
        }
    }
}

/// What a walk over one rule from one start token carries along.
struct Walk<'r> {
    rule: &'r Rule,
    start: usize,
    pass: u32,
    ctx: &'r Ctx,
}

/// Rules indexed by how they start, so each token only tries the rules that can begin
/// there.
pub(super) struct Grammar {
    rules: Vec<Rule>,
    by_first_word: HashMap<&'static str, Vec<usize>>,
    by_first_kind: [Vec<usize>; KINDS],
}

impl Grammar {
    /// Indexes `rules`.
    pub fn new(rules: Vec<Rule>) -> Self {
        let mut by_first_word: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut by_first_kind: [Vec<usize>; KINDS] = Default::default();
        for (i, rule) in rules.iter().enumerate() {
            match rule.elems.first().map(|e| &e.pat) {
                Some(Pat::Word(words)) => {
                    for word in *words {
                        by_first_word.entry(word).or_default().push(i);
                    }
                }
                Some(Pat::Node(kind, _)) => by_first_kind[*kind as usize].push(i),
                Some(Pat::OptWord(_)) | None => {}
            }
        }
        Self {
            rules,
            by_first_word,
            by_first_kind,
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({}, {} elements)", self.name, self.elems.len())
    }
}
