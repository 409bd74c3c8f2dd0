//! Runs the grammar over a text and picks the values to report.

use super::chart::{Chart, Ctx, Grammar, Node};
use super::reference::ReferenceTime;
use super::time::{Point, Resolved, TimeNode, resolve};
use super::values::{BuiltinValue, Dimension, TimePoint, TimeValue};
use super::{contact, duration, lexer, money, numeral, ordinal, time};
use std::sync::LazyLock;

/// Every rule, built once.
static GRAMMAR: LazyLock<Grammar> = LazyLock::new(|| {
    let mut rules = numeral::rules();
    rules.extend(money::rules());
    rules.extend(duration::rules());
    rules.extend(time::rules());
    Grammar::new(rules)
});

/// A value found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinEntity {
    /// Start in characters.
    pub start: usize,
    /// End in characters (exclusive).
    pub end: usize,
    /// The text covered.
    pub text: String,
    /// The value.
    pub value: BuiltinValue,
}

impl BuiltinEntity {
    /// Its dimension.
    pub fn dimension(&self) -> Dimension {
        self.value.dimension()
    }
}

/// The values of the `dimensions` asked for in `text`, relative to `reference`: the
/// longest readings that do not overlap, left to right. On the same span, money beats
/// time, which beats duration, ordinal and number ("R$ 15" is money, not 15).
pub fn extract(
    text: &str,
    reference: &ReferenceTime,
    dimensions: &[Dimension],
) -> Vec<BuiltinEntity> {
    let wants = |d: Dimension| dimensions.contains(&d);
    let contacts = contact::scan(
        text,
        wants(Dimension::PhoneNumber),
        wants(Dimension::Email),
        wants(Dimension::Url),
    );
    let mut candidates: Vec<Candidate<'_, '_>> = contacts
        .into_iter()
        .map(|f| Candidate {
            start: f.start,
            end: f.end,
            dimension: f.value.dimension(),
            reading: Reading::Ready(f.value),
        })
        .collect();
    let grammar_dims = [
        Dimension::Time,
        Dimension::Duration,
        Dimension::Number,
        Dimension::Ordinal,
        Dimension::AmountOfMoney,
    ];
    if !grammar_dims.iter().any(|d| wants(*d)) {
        return select(text, candidates, None);
    }
    let folded = lexer::fold(text);
    let tokens = lexer::tokenize(&folded);
    let ctx = Ctx {
        now: reference.now.datetime(),
        tz: reference.now.time_zone().clone(),
    };
    let mut chart = Chart::new(&tokens);
    numeral::scan(&mut chart);
    ordinal::scan(&mut chart);
    money::scan(&mut chart);
    duration::scan(&mut chart);
    time::scan(&mut chart);
    chart.parse(&GRAMMAR, &ctx);
    for item in chart.items() {
        if let Some(dimension) = item.node.dimension().filter(|d| wants(*d)) {
            candidates.push(Candidate {
                start: tokens[item.start].start,
                end: tokens[item.end - 1].end,
                dimension,
                reading: Reading::Node(&item.node),
            });
        }
    }
    select(text, candidates, Some(&ctx))
}

/// A reading of part of the text, its value computed only if it is chosen.
struct Candidate<'c, 'a> {
    start: usize,
    end: usize,
    dimension: Dimension,
    reading: Reading<'c, 'a>,
}

impl Candidate<'_, '_> {
    /// A calendar date (day and month given), which may not exist.
    fn is_date(&self) -> bool {
        matches!(&self.reading, Reading::Node(Node::Time(TimeNode::Form(f))) if f.day.is_some() && f.month.is_some())
    }
}

enum Reading<'c, 'a> {
    Ready(BuiltinValue),
    Node(&'c Node<'a>),
}

/// Longest first, then by dimension priority, then leftmost; overlapping ones dropped,
/// and so are readings that do not resolve (a date that does not exist) with the times
/// inside them.
fn select(
    text: &str,
    mut candidates: Vec<Candidate<'_, '_>>,
    ctx: Option<&Ctx>,
) -> Vec<BuiltinEntity> {
    candidates.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(b.dimension.priority().cmp(&a.dimension.priority()))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<(usize, usize, BuiltinValue)> = Vec::new();
    // A date that does not exist (31 de fevereiro) hides the times inside it too.
    let mut impossible: Vec<(usize, usize)> = Vec::new();
    for c in candidates {
        let overlaps = |a: usize, b: usize| c.start < b && a < c.end;
        if kept.iter().any(|k| overlaps(k.0, k.1))
            || (c.dimension == Dimension::Time && impossible.iter().any(|&(a, b)| overlaps(a, b)))
        {
            continue;
        }
        let reading_is_date = c.is_date();
        let value = match c.reading {
            Reading::Ready(v) => Some(v),
            Reading::Node(node) => ctx.and_then(|ctx| value(node, ctx)),
        };
        match value {
            Some(v) => kept.push((c.start, c.end, v)),
            None if reading_is_date => impossible.push((c.start, c.end)),
            None => {}
        }
    }
    kept.sort_by_key(|k| k.0);
    kept.into_iter()
        .map(|(start, end, value)| BuiltinEntity {
            start,
            end,
            text: text.chars().skip(start).take(end - start).collect(),
            value,
        })
        .collect()
}

/// The reported value of a finished node.
fn value(node: &Node<'_>, ctx: &Ctx) -> Option<BuiltinValue> {
    Some(match node {
        Node::Number(n) => BuiltinValue::Number(n.value),
        Node::Ordinal(n) => BuiltinValue::Ordinal(*n),
        Node::Money(m) => BuiltinValue::AmountOfMoney(m.clone()),
        Node::Duration(d) => BuiltinValue::Duration(d.clone()),
        Node::Time(t) => BuiltinValue::Time(match resolve(t, ctx.now)? {
            Resolved::Instant(p) => TimeValue::Instant(zoned(p, ctx)?),
            Resolved::Interval(from, to) => {
                if from.is_none() && to.is_none() {
                    return None;
                }
                TimeValue::Interval {
                    from: zoned_opt(from, ctx)?,
                    to: zoned_opt(to, ctx)?,
                }
            }
        }),
        _ => return None,
    })
}

fn zoned(p: Point, ctx: &Ctx) -> Option<TimePoint> {
    let value = ctx.tz.to_ambiguous_zoned(p.at).compatible().ok()?;
    Some(TimePoint {
        value,
        grain: p.grain,
    })
}

fn zoned_opt(p: Option<Point>, ctx: &Ctx) -> Option<Option<TimePoint>> {
    match p {
        Some(p) => Some(Some(zoned(p, ctx)?)),
        None => Some(None),
    }
}
