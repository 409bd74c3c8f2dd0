//! Relative times: cycles ("semana que vem", "mês passado", "este trimestre"), "daqui a
//! N ...", "em N ...", "faz N ...", "próximos N dias", "N semanas atrás", and ordinal
//! cycles ("segundo trimestre de 2017", "último mês de 2013").

use super::preds::*;
use super::rules_date::THIS;
use super::{Period, Point, TimeForm, form_node};
use crate::nlu::builtin::chart::{Ctx, Kind, Node, Rule, n, opt, rule, w};
use crate::nlu::builtin::duration::{grain_of, unit};
use crate::nlu::builtin::values::{DurationValue, Grain};
use jiff::civil::{Date, DateTime, Time};
use jiff::{Span, ToSpan};

const NEXT: &[&str] = &["proximo", "proxima", "proximos", "proximas"];
const LAST: &[&str] = &[
    "passado",
    "passada",
    "passados",
    "passadas",
    "ultimo",
    "ultima",
    "ultimos",
    "ultimas",
    "anterior",
    "anteriores",
];

fn cycle_of<'a>(ctx: &Ctx, unit: &Node<'_>, offset: i64) -> Option<Node<'a>> {
    cycle(ctx, grain_of(unit)?, offset)
}

fn duration_of(n: &Node<'_>) -> Option<DurationValue> {
    match n {
        Node::Duration(d) => Some(d.clone()),
        _ => None,
    }
}

fn duration(n: &Node<'_>) -> bool {
    matches!(n, Node::Duration(_))
}

fn count(n: &Node<'_>) -> bool {
    matches!(n, Node::Number(num) if num.int_in(1, 1000).is_some())
}

/// `now ± d`, whole units as calendar arithmetic, fractions as seconds.
fn offset(now: DateTime, d: &DurationValue, sign: i64) -> Option<DateTime> {
    let span = if d.value.fract() == 0.0 {
        super::period::span(d.unit, sign * d.value as i64)?
    } else {
        Span::new()
            .try_seconds(sign * d.normalized_seconds() as i64)
            .ok()?
    };
    now.checked_add(span).ok()
}

/// The point `d` from now, at Duckling's grain: one finer than the unit ("em 2 horas"
/// to the minute, "em 1 dia" to the hour, "em 1 ano" to the month).
fn shifted<'a>(ctx: &Ctx, d: &DurationValue, sign: i64) -> Option<Node<'a>> {
    let grain = match d.unit {
        Grain::Second | Grain::Minute => Grain::Second,
        Grain::Hour => Grain::Minute,
        Grain::Day => Grain::Hour,
        Grain::Week | Grain::Month => Grain::Day,
        Grain::Quarter | Grain::Year => Grain::Month,
    };
    let at = offset(ctx.now, d, sign)?;
    Some(form_node(TimeForm::at(Period::containing(at, grain))))
}

/// The `count` whole units after the current one (`next`), or before it.
fn next_n<'a>(ctx: &Ctx, unit: &Node<'_>, count: i64, next: bool) -> Option<Node<'a>> {
    let current = Period::containing(ctx.now, grain_of(unit)?);
    let (from, to) = if next {
        (current.shifted(1)?, current.shifted(count + 1)?)
    } else {
        (current.shifted(-count)?, current)
    };
    interval(Some(from), Some(to))
}

/// The `nth` unit of a year (`nth` < 0 counts from its end).
fn nth_of_year<'a>(unit: &Node<'_>, nth: i64, year: i16) -> Option<Node<'a>> {
    let grain = grain_of(unit)?;
    let start = Date::new(year, 1, 1).ok()?.to_datetime(Time::midnight());
    let first = Point::new(start, grain);
    let period = if nth > 0 {
        first.shifted(nth - 1)?
    } else {
        let next_year = Point::new(start.checked_add(1.year()).ok()?, grain);
        next_year.shifted(nth)?
    };
    // The period must lie inside the year ("décimo terceiro mês" is no month).
    (period.at.year() == year).then(|| form_node(TimeForm::at(period)))
}

fn ordinal(n: &Node<'_>) -> Option<i64> {
    match n {
        Node::Ordinal(v) => Some(*v),
        _ => None,
    }
}

fn is_ordinal(n: &Node<'_>) -> bool {
    matches!(n, Node::Ordinal(_))
}

/// The relative rules.
pub(super) fn rules() -> Vec<Rule> {
    vec![
        rule("este unit", vec![w(THIS), n(Kind::Unit, unit)], |ctx, c| {
            cycle_of(ctx, c[0], 0)
        }),
        rule(
            "unit atual",
            vec![n(Kind::Unit, unit), w(&["atual", "actual", "corrente"])],
            |ctx, c| cycle_of(ctx, c[0], 0),
        ),
        rule(
            "proximo unit",
            vec![w(NEXT), n(Kind::Unit, unit)],
            |ctx, c| cycle_of(ctx, c[0], 1),
        ),
        rule(
            "unit que vem",
            vec![n(Kind::Unit, unit), w(&["que"]), w(&["vem"])],
            |ctx, c| cycle_of(ctx, c[0], 1),
        ),
        rule(
            "unit seguinte",
            vec![n(Kind::Unit, unit), w(&["seguinte"])],
            |ctx, c| cycle_of(ctx, c[0], 1),
        ),
        rule(
            "unit passado",
            vec![n(Kind::Unit, unit), w(LAST)],
            |ctx, c| cycle_of(ctx, c[0], -1),
        ),
        rule(
            "passado unit",
            vec![w(LAST), n(Kind::Unit, unit)],
            |ctx, c| cycle_of(ctx, c[0], -1),
        ),
        rule(
            "em duration",
            vec![w(&["em", "daqui"]), n(Kind::Duration, duration)],
            |ctx, c| shifted(ctx, &duration_of(c[0])?, 1),
        ),
        rule(
            "daqui a duration",
            vec![
                w(&["daqui"]),
                w(&["a", "ha", "uns", "umas"]),
                n(Kind::Duration, duration),
            ],
            |ctx, c| shifted(ctx, &duration_of(c[0])?, 1),
        ),
        rule(
            "faz duration",
            vec![w(&["faz", "fazem", "ha"]), n(Kind::Duration, duration)],
            |ctx, c| shifted(ctx, &duration_of(c[0])?, -1),
        ),
        rule(
            "dentro de duration",
            vec![w(&["dentro"]), w(&["de"]), n(Kind::Duration, duration)],
            |ctx, c| {
                let d = duration_of(c[0])?;
                let now = Point::containing(ctx.now, Grain::Second);
                interval(
                    Some(now),
                    Some(Point::containing(offset(ctx.now, &d, 1)?, Grain::Second)),
                )
            },
        ),
        rule(
            "duration atras",
            vec![n(Kind::Duration, duration), w(&["atras"])],
            |ctx, c| {
                let d = duration_of(c[0])?;
                (d.value.fract() == 0.0).then_some(())?;
                let current = Period::containing(ctx.now, d.unit);
                interval(Some(current.shifted(-(d.value as i64))?), Some(current))
            },
        ),
        rule(
            "proximos N unit",
            vec![w(NEXT), n(Kind::Number, count), n(Kind::Unit, unit)],
            |ctx, c| next_n(ctx, c[1], int(c[0]), true),
        ),
        rule(
            "N proximos unit",
            vec![n(Kind::Number, count), w(NEXT), n(Kind::Unit, unit)],
            |ctx, c| next_n(ctx, c[1], int(c[0]), true),
        ),
        rule(
            "N unit que vem",
            vec![
                n(Kind::Number, count),
                n(Kind::Unit, unit),
                w(&["que"]),
                w(&["vem"]),
            ],
            |ctx, c| next_n(ctx, c[1], int(c[0]), true),
        ),
        rule(
            "N unit seguintes",
            vec![
                n(Kind::Number, count),
                n(Kind::Unit, unit),
                w(&["seguintes"]),
            ],
            |ctx, c| next_n(ctx, c[1], int(c[0]), true),
        ),
        rule(
            "passados N unit",
            vec![w(LAST), n(Kind::Number, count), n(Kind::Unit, unit)],
            |ctx, c| next_n(ctx, c[1], int(c[0]), false),
        ),
        rule(
            "N passados unit",
            vec![n(Kind::Number, count), w(LAST), n(Kind::Unit, unit)],
            |ctx, c| next_n(ctx, c[1], int(c[0]), false),
        ),
        rule(
            "N unit passados",
            vec![n(Kind::Number, count), n(Kind::Unit, unit), w(LAST)],
            |ctx, c| next_n(ctx, c[1], int(c[0]), false),
        ),
        rule(
            "ordinal unit de year",
            vec![
                n(Kind::Ordinal, is_ordinal),
                n(Kind::Unit, unit),
                opt(&["de", "do"]),
                n(Kind::Number, year_num),
            ],
            |_, c| nth_of_year(c[1], ordinal(c[0])?, year_of(c[2])?),
        ),
        rule(
            "ordinal unit",
            vec![n(Kind::Ordinal, is_ordinal), n(Kind::Unit, unit)],
            |ctx, c| {
                let g = grain_of(c[1])?;
                matches!(g, Grain::Month | Grain::Quarter).then_some(())?;
                nth_of_year(c[1], ordinal(c[0])?, ctx.now.year())
            },
        ),
        rule(
            "ultimo unit de year",
            vec![
                w(&["ultimo", "ultima"]),
                n(Kind::Unit, unit),
                opt(&["de", "do"]),
                n(Kind::Number, year_num),
            ],
            |_, c| nth_of_year(c[0], -1, year_of(c[1])?),
        ),
    ]
}
