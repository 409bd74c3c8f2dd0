//! Intervals: "entre 14h e 16h", "de segunda a sexta", "13 a 15 de julho", "9:30 - 11:00",
//! open ones ("a partir das 14h", "até sexta", "antes do meio-dia"), and the
//! intersection of two times ("amanhã às 15h", "sexta, 12 de setembro").

use super::preds::*;
use super::resolve::resolve;
use super::{TimeNode, form_of};
use crate::nlu::builtin::chart::{Ctx, Elem, Kind, Node, Rule, n, opt, rule, w};

/// Words that open a closed interval, each with the words allowed between its ends.
const OPENERS: &[(&[&str], &[&[&str]])] = &[
    (&[], RANGE_JOINS),
    (&["de"], RANGE_JOINS),
    (&["do"], RANGE_JOINS),
    (&["da"], RANGE_JOINS),
    (&["desde"], RANGE_JOINS),
    (&["a", "partir", "de"], RANGE_JOINS),
    (&["a", "partir", "do"], RANGE_JOINS),
    (&["a", "partir", "da"], RANGE_JOINS),
    (&["entre"], &[&["e"]]),
    (&["entre", "o"], &[&["e"]]),
    (&["entre", "a"], &[&["e"]]),
    (&["entre", "as"], &[&["e"]]),
];

const RANGE_JOINS: &[&[&str]] = &[
    &["a"],
    &["ao"],
    &["as"],
    &["ate"],
    &["ate", "ao"],
    &["ate", "a"],
    &["ate", "as"],
    &["-"],
];

/// Open intervals: words before the time, and whether the time starts (`true`) or
/// ends the interval.
const OPEN: &[(&[&str], bool)] = &[
    (&["a", "partir", "de"], true),
    (&["a", "partir", "do"], true),
    (&["a", "partir", "da"], true),
    (&["a", "partir", "das"], true),
    (&["depois", "de"], true),
    (&["depois", "do"], true),
    (&["depois", "da"], true),
    (&["depois", "das"], true),
    (&["apos"], true),
    (&["apos", "o"], true),
    (&["apos", "a"], true),
    (&["apos", "as"], true),
    (&["apos", "ao"], true),
    (&["antes", "de"], false),
    (&["antes", "do"], false),
    (&["antes", "da"], false),
    (&["antes", "das"], false),
    (&["ate"], false),
    (&["ate", "o"], false),
    (&["ate", "a"], false),
    (&["ate", "as"], false),
    (&["ate", "ao"], false),
    (&["nao", "mais", "que"], false),
    (&["no", "maximo", "ate"], false),
];

/// The closed interval from the start of `a` to the end of `b`, `b` read after `a`.
fn closed<'a>(ctx: &Ctx, a: &Node<'_>, b: &Node<'_>) -> Option<Node<'a>> {
    if let (Some(fa), Some(fb)) = (form_of(a), form_of(b)) {
        // "das 14h às 16h de amanhã": the date of the end is the start's too.
        let mut start = fa.clone();
        if fa.is_clock() && (fb.has_date() || fb.anchor.is_some()) {
            let mut date = fb.clone();
            (date.hour, date.minute, date.pod) = (None, None, None);
            start = start.merge(&date)?;
        }
        return Some(Node::Time(TimeNode::Between(start, fb.clone())));
    }
    let (Node::Time(ta), Node::Time(tb)) = (a, b) else {
        return None;
    };
    let from = resolve(ta, ctx.now)?.start()?;
    let to = resolve(tb, from.at)?.end()?;
    (to.at > from.at).then_some(())?;
    interval(Some(from), Some(to))
}

/// "13 a 15 de julho": the first day takes the month (and year) of the second.
fn day_range<'a>(ctx: &Ctx, day: &Node<'_>, b: &Node<'_>) -> Option<Node<'a>> {
    let mut first = form_of(b)?.clone();
    first.day = Some(i8::try_from(int(day)).ok()?);
    closed(ctx, &Node::Time(TimeNode::Form(first)), b)
}

fn open_node<'a>(t: &Node<'_>, after: bool) -> Option<Node<'a>> {
    let form = form_of(t)?.clone();
    Some(Node::Time(if after {
        TimeNode::After(form)
    } else {
        TimeNode::Before(form)
    }))
}

fn between(n: &Node<'_>) -> bool {
    matches!(n, Node::Time(TimeNode::Between(..)))
}

/// Both ends of a range on the same date ("entre 14h e 16h dia 12/03").
fn range_on<'a>(range: &Node<'_>, date: &Node<'_>) -> Option<Node<'a>> {
    let (Node::Time(TimeNode::Between(a, b)), Some(d)) = (range, form_of(date)) else {
        return None;
    };
    // Only a range of clock times takes a date.
    (a.is_clock() && b.is_clock() && (d.has_date() || d.anchor.is_some()) && d.hour.is_none())
        .then_some(())?;
    Some(Node::Time(TimeNode::Between(a.merge(d)?, b.merge(d)?)))
}

fn after_of(n: &Node<'_>) -> bool {
    matches!(n, Node::Time(TimeNode::After(_) | TimeNode::Before(_)))
}

/// A date with an open interval inside it ("amanhã depois das 15h").
fn narrowed<'a>(date: &Node<'_>, open: &Node<'_>) -> Option<Node<'a>> {
    let date = form_of(date)?;
    Some(Node::Time(match open {
        Node::Time(TimeNode::After(f)) => TimeNode::After(date.merge(f)?),
        Node::Time(TimeNode::Before(f)) => TimeNode::Before(date.merge(f)?),
        _ => return None,
    }))
}

fn words(ws: &'static [&'static str]) -> Vec<Elem> {
    ws.iter()
        .map(|word| w(std::slice::from_ref(word)))
        .collect()
}

/// The interval and intersection rules.
pub(super) fn rules() -> Vec<Rule> {
    let mut rules = vec![
        rule(
            "time, time",
            vec![
                n(Kind::Time, any_form),
                opt(&[",", "de", "do", "da", "no", "na", "em", "as", "a"]),
                n(Kind::Time, any_form),
            ],
            |_, c| merged(c[0], c[1]),
        ),
        rule(
            "range, date",
            vec![
                n(Kind::Time, between),
                opt(&[",", "no", "na", "de", "do"]),
                n(Kind::Time, form),
            ],
            |_, c| range_on(c[0], c[1]),
        ),
        rule(
            "date, range",
            vec![n(Kind::Time, form), opt(&[","]), n(Kind::Time, between)],
            |_, c| range_on(c[1], c[0]),
        ),
        rule(
            "date open",
            vec![n(Kind::Time, form), n(Kind::Time, after_of)],
            |_, c| narrowed(c[0], c[1]),
        ),
    ];
    for (opener, joins) in OPENERS {
        for join in *joins {
            let mut elems = words(opener);
            elems.push(n(Kind::Time, time));
            elems.extend(words(join));
            elems.push(n(Kind::Time, time));
            rules.push(rule("interval", elems, |ctx, c| closed(ctx, c[0], c[1])));
            let mut elems = words(opener);
            elems.push(n(Kind::Number, day_num));
            elems.extend(words(join));
            elems.push(n(Kind::Time, dated_day));
            rules.push(rule("day range", elems, |ctx, c| {
                day_range(ctx, c[0], c[1])
            }));
        }
    }
    for (opener, after) in OPEN {
        let mut elems = words(opener);
        elems.push(n(Kind::Time, form));
        rules.push(if *after {
            rule("after", elems, |_, c| open_node(c[0], true))
        } else {
            rule("before", elems, |_, c| open_node(c[0], false))
        });
    }
    rules
}
