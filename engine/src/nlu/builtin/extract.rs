//! Runs the grammar over a text and picks the values to report.

use super::chart::{Chart, Ctx, Node, Rule};
use super::reference::ReferenceTime;
use super::time::{Point, Resolved, resolve};
use super::values::{BuiltinValue, Dimension, TimePoint, TimeValue};
use super::{contact, duration, lexer, money, numeral, ordinal, time};
use std::sync::LazyLock;

/// Every rule, built once.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let mut rules = numeral::rules();
    rules.extend(money::rules());
    rules.extend(duration::rules());
    rules.extend(time::rules());
    rules
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
    let mut candidates: Vec<(usize, usize, BuiltinValue)> = contact::scan(
        text,
        wants(Dimension::PhoneNumber),
        wants(Dimension::Email),
        wants(Dimension::Url),
    )
    .into_iter()
    .map(|f| (f.start, f.end, f.value))
    .collect();
    let grammar_dims = [
        Dimension::Time,
        Dimension::Duration,
        Dimension::Number,
        Dimension::Ordinal,
        Dimension::AmountOfMoney,
    ];
    if grammar_dims.iter().any(|d| wants(*d)) {
        candidates.extend(grammar_values(text, reference, &wants));
    }
    select(text, candidates)
}

fn grammar_values(
    text: &str,
    reference: &ReferenceTime,
    wants: &dyn Fn(Dimension) -> bool,
) -> Vec<(usize, usize, BuiltinValue)> {
    let folded = lexer::fold(text);
    let tokens = lexer::tokenize(&folded);
    if tokens.is_empty() {
        return Vec::new();
    }
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
    chart.parse(&RULES, &ctx);
    chart
        .items()
        .iter()
        .filter(|item| item.node.dimension().is_some_and(wants))
        .filter_map(|item| {
            let start = tokens[item.start].start;
            let end = tokens[item.end - 1].end;
            Some((start, end, value(&item.node, &ctx)?))
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

/// Longest first, then by dimension priority, then leftmost; overlapping ones dropped.
fn select(text: &str, mut candidates: Vec<(usize, usize, BuiltinValue)>) -> Vec<BuiltinEntity> {
    candidates.sort_by(|a, b| {
        let len = |c: &(usize, usize, BuiltinValue)| c.1 - c.0;
        len(b)
            .cmp(&len(a))
            .then(b.2.dimension().priority().cmp(&a.2.dimension().priority()))
            .then(a.0.cmp(&b.0))
    });
    let mut kept: Vec<(usize, usize, BuiltinValue)> = Vec::new();
    for c in candidates {
        if kept.iter().all(|k| c.1 <= k.0 || k.1 <= c.0) {
            kept.push(c);
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
