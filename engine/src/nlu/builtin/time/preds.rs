//! Predicates and small builders the time rules share.

use super::{Hour, Period, TimeForm, TimeNode, form_node, form_of};
use crate::nlu::builtin::chart::{Ctx, Node};
use crate::nlu::builtin::values::Grain;

/// Any form, latent or not.
pub(super) fn any_form(n: &Node<'_>) -> bool {
    form_of(n).is_some()
}

/// A form that may stand alone.
pub(super) fn form(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| !f.latent)
}

/// A time of any kind (forms, open and closed intervals).
pub(super) fn time(n: &Node<'_>) -> bool {
    matches!(n, Node::Time(t) if !t.is_latent())
}

/// A form with only clock fields ("15h", "às 3").
pub(super) fn clock(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(TimeForm::is_clock)
}

/// A clock form with an hour but no minute yet.
pub(super) fn clock_hour(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| f.is_clock() && f.minute.is_none())
}

/// A form naming a month and nothing else (latent abbreviations included).
pub(super) fn month_only(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| {
        f.month.is_some()
            && f.day.is_none()
            && f.year.is_none()
            && f.weekday.is_none()
            && f.hour.is_none()
            && f.anchor.is_none()
    })
}

/// A full month name alone.
pub(super) fn full_month(n: &Node<'_>) -> bool {
    month_only(n) && form(n)
}

/// A day of a month, no year yet ("15 de março").
pub(super) fn day_month(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| {
        f.day.is_some() && f.month.is_some() && f.year.is_none() && f.hour.is_none()
    })
}

/// A day of a month, with or without a year ("15 de julho de 2013").
pub(super) fn dated_day(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| f.day.is_some() && f.month.is_some() && f.hour.is_none())
}

/// A form with a day of the month only ("dia 15").
pub(super) fn day_only(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| {
        f.day.is_some()
            && f.month.is_none()
            && f.year.is_none()
            && f.hour.is_none()
            && f.weekday.is_none()
    })
}

/// A weekday alone.
pub(super) fn weekday(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| {
        f.weekday.is_some()
            && !f.has_date_besides_weekday()
            && f.anchor.is_none()
            && f.hour.is_none()
    })
}

/// A form anchored to a whole week ("semana que vem").
pub(super) fn week(n: &Node<'_>) -> bool {
    form_of(n).is_some_and(|f| f.anchor.is_some_and(|a| a.grain == Grain::Week) && !f.has_date())
}

/// A whole number in `lo..=hi`, written plainly (no separators or suffix).
fn int_in(n: &Node<'_>, lo: i64, hi: i64) -> Option<i64> {
    match n {
        Node::Number(num) if !num.formatted => num.int_in(lo, hi),
        _ => None,
    }
}

/// A day of the month as a number.
pub(super) fn day_num(n: &Node<'_>) -> bool {
    int_in(n, 1, 31).is_some()
}

/// An hour as a number.
pub(super) fn hour_num(n: &Node<'_>) -> bool {
    int_in(n, 0, 23).is_some()
}

/// An hour written in digits.
pub(super) fn hour_digits(n: &Node<'_>) -> bool {
    hour_num(n) && matches!(n, Node::Number(num) if !num.words)
}

/// Minutes as a number.
pub(super) fn minute_num(n: &Node<'_>) -> bool {
    int_in(n, 0, 59).is_some()
}

/// Two digits of minutes ("15:30").
pub(super) fn minute_digits(n: &Node<'_>) -> bool {
    minute_num(n) && matches!(n, Node::Number(num) if !num.words)
}

/// A month as a number.
pub(super) fn month_num(n: &Node<'_>) -> bool {
    int_in(n, 1, 12).is_some() && matches!(n, Node::Number(num) if !num.words)
}

/// A year in digits: four, or two in a numeric date.
pub(super) fn year_num(n: &Node<'_>) -> bool {
    int_in(n, 1000, 2200).is_some() && matches!(n, Node::Number(num) if !num.words)
}

/// Any plain integer (for two-digit years).
pub(super) fn short_year(n: &Node<'_>) -> bool {
    int_in(n, 0, 99).is_some() || year_num(n)
}

/// The integer value of a number node (0 otherwise).
pub(super) fn int(n: &Node<'_>) -> i64 {
    match n {
        Node::Number(num) => num.value as i64,
        _ => 0,
    }
}

/// A year as written: two digits are 19xx from 50, else 20xx.
pub(super) fn year_of(n: &Node<'_>) -> Option<i16> {
    let y = int(n);
    let y = match y {
        0..=49 => 2000 + y,
        50..=99 => 1900 + y,
        _ => y,
    };
    i16::try_from(y).ok()
}

/// The form of a node, cloned (or a default that fails to merge).
pub(super) fn f(n: &Node<'_>) -> TimeForm {
    form_of(n).cloned().unwrap_or_default()
}

/// A clock form.
pub(super) fn clock_node<'a>(h: i64, minute: Option<i64>, ambiguous: bool) -> Option<Node<'a>> {
    Some(form_node(TimeForm {
        hour: Some(Hour {
            h: i8::try_from(h).ok().filter(|h| (0..24).contains(h))?,
            ambiguous: ambiguous && (1..=12).contains(&h),
        }),
        minute: minute.and_then(|m| i8::try_from(m).ok()),
        ..TimeForm::default()
    }))
}

/// The `offset`-th grain from the one containing now ("semana que vem" = week +1).
pub(super) fn cycle<'a>(ctx: &Ctx, grain: Grain, offset: i64) -> Option<Node<'a>> {
    let period = Period::containing(ctx.now, grain).shifted(offset)?;
    Some(form_node(TimeForm::at(period)))
}

/// Merges two nodes' forms.
pub(super) fn merged<'a>(a: &Node<'_>, b: &Node<'_>) -> Option<Node<'a>> {
    Some(form_node(form_of(a)?.merge(form_of(b)?)?))
}

/// A resolved interval node.
pub(super) fn interval<'a>(
    from: Option<super::Point>,
    to: Option<super::Point>,
) -> Option<Node<'a>> {
    Some(Node::Time(TimeNode::Interval(from, to)))
}
