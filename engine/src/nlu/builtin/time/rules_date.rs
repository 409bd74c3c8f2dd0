//! Calendar rules: days, months, years, weekdays, named days, seasons and weekends.

use super::preds::*;
use super::{Period, Point, TimeForm, form_node};
use crate::nlu::builtin::chart::{Ctx, Kind, Node, Rule, n, opt, rule, w};
use crate::nlu::builtin::values::Grain;
use jiff::ToSpan;
use jiff::civil::{Date, Time};

/// Words before a time that add nothing but belong to it ("no domingo", "nesta sexta").
pub(super) const THIS: &[&str] = &[
    "este", "esta", "esse", "essa", "neste", "nesta", "nesse", "nessa", "desta", "dessa", "deste",
    "desse",
];

fn day_form<'a>(day: i64, month: Option<i64>, year: Option<i16>) -> Option<Node<'a>> {
    Some(form_node(TimeForm {
        day: Some(i8::try_from(day).ok()?),
        month: month.and_then(|m| i8::try_from(m).ok()),
        year,
        ..TimeForm::default()
    }))
}

fn with_day<'a>(day: i64, of: &Node<'_>) -> Option<Node<'a>> {
    let mut form = f(of);
    form.day = Some(i8::try_from(day).ok()?);
    form.latent = false;
    Some(form_node(form))
}

fn with_year<'a>(of: &Node<'_>, year: Option<i16>) -> Option<Node<'a>> {
    let mut form = f(of);
    form.year = Some(year?);
    form.latent = false;
    Some(form_node(form))
}

/// Today shifted by `days`.
fn day<'a>(ctx: &Ctx, days: i64) -> Option<Node<'a>> {
    let today = Period::containing(ctx.now, Grain::Day);
    Some(form_node(TimeForm::at(today.shifted(days)?)))
}

fn month_day<'a>(month: i8, day: i8) -> Option<Node<'a>> {
    Some(form_node(TimeForm {
        month: Some(month),
        day: Some(day),
        ..TimeForm::default()
    }))
}

/// A weekday inside a given week.
fn weekday_in<'a>(ctx: &Ctx, weekday: &Node<'_>, offset: i64) -> Option<Node<'a>> {
    let week = Period::containing(ctx.now, Grain::Week).shifted(offset)?;
    let mut form = f(weekday);
    form.anchor = Some(week);
    Some(form_node(form))
}

/// The season (`(start month, day)`, `(end month, day)`) under way or next.
fn season<'a>(ctx: &Ctx, from: (i8, i8), to: (i8, i8)) -> Option<Node<'a>> {
    let year = ctx.now.year();
    for y in [year - 1, year, year + 1] {
        let start = Date::new(y, from.0, from.1).ok()?;
        let end_year = if to.0 < from.0 { y + 1 } else { y };
        let end = Date::new(end_year, to.0, to.1).ok()?;
        if end.to_datetime(Time::midnight()) > ctx.now {
            return interval(
                Some(Point::new(start.to_datetime(Time::midnight()), Grain::Day)),
                Some(Point::new(end.to_datetime(Time::midnight()), Grain::Day)),
            );
        }
    }
    None
}

/// The weekend (Friday 18h to Monday 0h) of the week `offset` from now's, or the next one
/// when this one is over.
fn weekend<'a>(ctx: &Ctx, offset: i64) -> Option<Node<'a>> {
    let monday = Period::containing(ctx.now, Grain::Week).at;
    let mut offset = offset;
    loop {
        let start = monday
            .checked_add((7 * offset + 4).days())
            .ok()?
            .checked_add(18.hours())
            .ok()?;
        let end = monday.checked_add((7 * offset + 7).days()).ok()?;
        if end > ctx.now || offset > 1 {
            return interval(
                Some(Point::new(start, Grain::Hour)),
                Some(Point::new(end, Grain::Hour)),
            );
        }
        offset += 1;
    }
}

/// The calendar rules.
pub(super) fn rules() -> Vec<Rule> {
    let mut rules = vec![
        rule("hoje", vec![w(&["hoje"])], |ctx, _| day(ctx, 0)),
        rule("neste momento", vec![w(THIS), w(&["momento"])], |ctx, _| {
            day(ctx, 0)
        }),
        rule("amanha", vec![w(&["amanha"])], |ctx, _| day(ctx, 1)),
        rule(
            "depois de amanha",
            vec![w(&["depois"]), w(&["de"]), w(&["amanha"])],
            |ctx, _| day(ctx, 2),
        ),
        rule("ontem", vec![w(&["ontem"])], |ctx, _| day(ctx, -1)),
        rule("anteontem", vec![w(&["anteontem"])], |ctx, _| day(ctx, -2)),
        rule(
            "antes de ontem",
            vec![w(&["antes"]), w(&["de"]), w(&["ontem"])],
            |ctx, _| day(ctx, -2),
        ),
        rule("agora", vec![w(&["agora"])], |ctx, _| now(ctx)),
        rule(
            "neste instante",
            vec![w(THIS), w(&["instante"])],
            |ctx, _| now(ctx),
        ),
        rule("natal", vec![w(&["natal"])], |_, _| month_day(12, 25)),
        rule(
            "vespera de natal",
            vec![w(&["vespera"]), w(&["de"]), w(&["natal"])],
            |_, _| month_day(12, 24),
        ),
        rule("ano novo", vec![w(&["ano"]), w(&["novo"])], |_, _| {
            month_day(1, 1)
        }),
        rule("reveillon", vec![w(&["reveillon", "reveion"])], |_, _| {
            month_day(1, 1)
        }),
        rule(
            "vespera de ano novo",
            vec![w(&["vespera"]), w(&["de"]), w(&["ano"]), w(&["novo"])],
            |_, _| month_day(12, 31),
        ),
        rule(
            "dia D",
            vec![w(&["dia"]), n(Kind::Number, day_num)],
            |_, c| day_form(int(c[0]), None, None),
        ),
        rule(
            "D de month",
            vec![
                n(Kind::Number, day_num),
                opt(&["de"]),
                n(Kind::Time, month_only),
            ],
            |_, c| with_day(int(c[0]), c[1]),
        ),
        rule(
            "month D",
            vec![n(Kind::Time, full_month), n(Kind::Number, day_num)],
            |_, c| with_day(int(c[1]), c[0]),
        ),
        rule(
            "primeiro de month",
            vec![
                n(Kind::Ordinal, first),
                w(&["de"]),
                n(Kind::Time, month_only),
            ],
            |_, c| with_day(1, c[1]),
        ),
        rule(
            "dia D de month",
            vec![
                n(Kind::Time, day_only),
                w(&["de"]),
                n(Kind::Time, month_only),
            ],
            |_, c| merged(c[0], c[1]),
        ),
        rule(
            "date de year",
            vec![
                n(Kind::Time, day_month),
                opt(&["de"]),
                n(Kind::Number, year_num),
            ],
            |_, c| with_year(c[0], year_of(c[1])),
        ),
        rule(
            "month de year",
            vec![
                n(Kind::Time, full_month),
                w(&["de"]),
                n(Kind::Number, year_num),
            ],
            |_, c| with_year(c[0], year_of(c[1])),
        ),
        rule(
            "weekday que vem",
            vec![n(Kind::Time, weekday), w(&["que"]), w(&["vem"])],
            |ctx, c| weekday_in(ctx, c[0], 1),
        ),
        rule(
            "weekday agora",
            vec![n(Kind::Time, weekday), w(&["agora"])],
            |ctx, c| weekday_in(ctx, c[0], 0),
        ),
        rule(
            "weekday da semana",
            vec![
                n(Kind::Time, weekday),
                w(&["da", "de", "na"]),
                n(Kind::Time, week),
            ],
            |_, c| merged(c[0], c[1]),
        ),
        rule(
            "weekday desta semana",
            vec![n(Kind::Time, weekday), n(Kind::Time, week)],
            |_, c| merged(c[0], c[1]),
        ),
        rule(
            "weekday passado",
            vec![
                n(Kind::Time, weekday),
                w(&["passado", "passada", "retrasado", "retrasada"]),
            ],
            |_, c| {
                let mut form = f(c[0]);
                form.past = true;
                Some(form_node(form))
            },
        ),
        rule(
            "proxima weekday",
            vec![w(&["proxima", "proximo"]), n(Kind::Time, weekday)],
            |_, c| Some(c[0].clone()),
        ),
        rule(
            "prefix time",
            vec![w(&["no", "na", "em", "o", "dia"]), n(Kind::Time, form)],
            |_, c| {
                let form = f(c[0]);
                // "dia" only before a date ("dia 15 de março"), not before a clock.
                (form.has_date() || form.anchor.is_some()).then(|| c[0].clone())
            },
        ),
        rule("this time", vec![w(THIS), n(Kind::Time, form)], |_, c| {
            let form = f(c[0]);
            (form.has_date() && form.hour.is_none()).then(|| c[0].clone())
        }),
        rule(
            "fim de semana",
            vec![w(&["fim", "final"]), w(&["de", "da"]), w(&["semana"])],
            |ctx, _| weekend(ctx, 0),
        ),
        rule(
            "este fim de semana",
            vec![
                w(THIS),
                w(&["fim", "final"]),
                w(&["de", "da"]),
                w(&["semana"]),
            ],
            |ctx, _| weekend(ctx, 0),
        ),
        rule(
            "fim de semana que vem",
            vec![
                w(&["fim", "final"]),
                w(&["de", "da"]),
                w(&["semana"]),
                w(&["que"]),
                w(&["vem"]),
            ],
            |ctx, _| weekend(ctx, 1),
        ),
        rule(
            "proximo fim de semana",
            vec![
                w(&["proximo", "proxima"]),
                w(&["fim", "final"]),
                w(&["de", "da"]),
                w(&["semana"]),
            ],
            |ctx, _| weekend(ctx, 1),
        ),
        rule("verao", vec![w(&["verao"])], |ctx, _| {
            season(ctx, (6, 21), (9, 24))
        }),
        rule("outono", vec![w(&["outono"])], |ctx, _| {
            season(ctx, (9, 23), (12, 21))
        }),
        rule("inverno", vec![w(&["inverno"])], |ctx, _| {
            season(ctx, (12, 21), (3, 21))
        }),
        rule("primavera", vec![w(&["primavera"])], |ctx, _| {
            season(ctx, (3, 20), (6, 21))
        }),
        rule(
            "este verao",
            vec![w(THIS), n(Kind::Time, season_node)],
            |_, c| Some(c[0].clone()),
        ),
    ];
    // Numeric dates: "12/03", "12/03/2026", "1-3-2013", "1.3.2013", "2026-03-12".
    for sep in [&["/"][..], &["-"], &["."]] {
        rules.push(rule(
            "dd/mm/yyyy",
            vec![
                n(Kind::Number, day_num),
                w(sep).tight(),
                n(Kind::Number, month_num).tight(),
                w(sep).tight(),
                n(Kind::Number, short_year).tight(),
            ],
            |_, c| day_form(int(c[0]), Some(int(c[1])), year_of(c[2])),
        ));
        rules.push(rule(
            "yyyy-mm-dd",
            vec![
                n(Kind::Number, year_num),
                w(sep).tight(),
                n(Kind::Number, month_num).tight(),
                w(sep).tight(),
                n(Kind::Number, day_num).tight(),
            ],
            |_, c| day_form(int(c[2]), Some(int(c[1])), year_of(c[0])),
        ));
    }
    rules.push(rule(
        "dd/mm",
        vec![
            n(Kind::Number, day_num),
            w(&["/"]).tight(),
            n(Kind::Number, month_num).tight(),
        ],
        |_, c| day_form(int(c[0]), Some(int(c[1])), None),
    ));
    rules
}

fn now<'a>(ctx: &Ctx) -> Option<Node<'a>> {
    Some(form_node(TimeForm::at(Period::containing(
        ctx.now,
        Grain::Second,
    ))))
}

fn first(n: &Node<'_>) -> bool {
    matches!(n, Node::Ordinal(1))
}

fn season_node(n: &Node<'_>) -> bool {
    matches!(n, Node::Time(super::TimeNode::Interval(Some(a), Some(_))) if a.grain == Grain::Day)
}
