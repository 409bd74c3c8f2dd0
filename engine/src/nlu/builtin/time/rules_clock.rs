//! Clock rules: "15h", "15:30", "15h30", "às 3", "3 da tarde", "meio-dia", "9 e meia",
//! "quinze para o meio-dia", and parts of the day.

use super::preds::*;
use super::{Hour, TimeForm, form_node, form_of};
use crate::nlu::builtin::chart::{Kind, Node, PartOfDay, Rule, UnitWord, n, opt, rule, w};
use crate::nlu::builtin::values::Grain;

/// Words that introduce a clock time ("às 15h", "pelas 10h", "das 9h").
const AT: &[&str] = &["as", "a", "das", "pelas", "pela"];

/// Only "às" makes a bare number an hour ("às 3"): "das 3 opções", "umas 10 sessões" are
/// no times.
const AT_BARE: &[&str] = &["as"];

/// Words between an hour and its part of the day ("3 da tarde", "6 pela manhã").
const OF_POD: &[&str] = &["da", "de", "pela", "a", "na", "durante", "no"];

fn hour_unit(n: &Node<'_>) -> bool {
    matches!(n, Node::Unit(Grain::Hour, UnitWord::Short))
}

fn hours_word(n: &Node<'_>) -> bool {
    matches!(n, Node::Unit(Grain::Hour, UnitWord::Full))
}

fn pod(n: &Node<'_>) -> bool {
    matches!(n, Node::PartOfDay(_))
}

fn pod_of(n: &Node<'_>) -> Option<PartOfDay> {
    match n {
        Node::PartOfDay(p) => Some(*p),
        _ => None,
    }
}

fn pod_form<'a>(pod: Option<PartOfDay>) -> Option<Node<'a>> {
    Some(form_node(TimeForm {
        pod: Some(pod?),
        ..TimeForm::default()
    }))
}

fn add_minutes<'a>(clock: &Node<'_>, minutes: i64) -> Option<Node<'a>> {
    let mut form = f(clock);
    form.minute = Some(i8::try_from(minutes).ok().filter(|m| (0..60).contains(m))?);
    Some(form_node(form))
}

/// `minutes` before the clock time ("quinze para o meio-dia" = 11:45).
fn minutes_before<'a>(minutes: i64, clock: &Node<'_>) -> Option<Node<'a>> {
    let form = form_of(clock)?;
    let hour = form.hour?;
    if form.minute.is_some() || !(1..60).contains(&minutes) {
        return None;
    }
    let h = (hour.h + 23) % 24;
    let mut out = form.clone();
    out.hour = Some(Hour {
        h,
        ambiguous: hour.ambiguous,
    });
    out.minute = Some(60 - minutes as i8);
    Some(form_node(out))
}

fn with_pod<'a>(clock: &Node<'_>, pod: Option<PartOfDay>) -> Option<Node<'a>> {
    let mut form = f(clock);
    form.pod = Some(pod?);
    Some(form_node(form))
}

fn pm<'a>(clock: &Node<'_>, pm: bool) -> Option<Node<'a>> {
    let mut form = f(clock);
    let hour = form.hour?;
    if hour.h > 12 {
        return None;
    }
    let h = match (pm, hour.h) {
        (true, h) if h < 12 => h + 12,
        (false, 12) => 0,
        (_, h) => h,
    };
    form.hour = Some(Hour {
        h,
        ambiguous: false,
    });
    Some(form_node(form))
}

fn meia<'a>(clock: &Node<'_>) -> Option<Node<'a>> {
    add_minutes(clock, 30)
}

/// The clock rules.
pub(super) fn rules() -> Vec<Rule> {
    vec![
        rule(
            "15h",
            vec![n(Kind::Number, hour_num), n(Kind::Unit, hour_unit)],
            |_, c| clock_node(int(c[0]), None, false),
        ),
        rule(
            "15h30",
            vec![
                n(Kind::Number, hour_num),
                n(Kind::Unit, hour_unit),
                n(Kind::Number, minute_digits),
            ],
            |_, c| clock_node(int(c[0]), Some(int(c[2])), false),
        ),
        rule(
            "15:30",
            vec![
                n(Kind::Number, hour_digits),
                w(&[":", "."]).tight(),
                n(Kind::Number, minute_digits).tight(),
            ],
            |_, c| clock_node(int(c[0]), Some(int(c[1])), true),
        ),
        rule(
            "15:30h",
            vec![n(Kind::Time, clock), n(Kind::Unit, hour_unit).tight()],
            |_, c| form_of(c[0])?.minute.and(Some(c[0].clone())),
        ),
        rule(
            "as N",
            vec![w(AT_BARE), n(Kind::Number, hour_num)],
            |_, c| clock_node(int(c[0]), None, true),
        ),
        rule(
            "as N horas",
            vec![
                w(AT_BARE),
                n(Kind::Number, hour_num),
                n(Kind::Unit, hours_word),
            ],
            |_, c| clock_node(int(c[0]), None, true),
        ),
        rule("as clock", vec![w(AT), n(Kind::Time, clock)], |_, c| {
            Some(c[0].clone())
        }),
        rule(
            "meio dia",
            vec![w(&["meio"]), opt(&["-"]), w(&["dia"])],
            |_, _| clock_node(12, None, false),
        ),
        rule("meiodia", vec![w(&["meiodia"])], |_, _| {
            clock_node(12, None, false)
        }),
        rule(
            "meia noite",
            vec![w(&["meia"]), opt(&["-"]), w(&["noite"])],
            |_, _| clock_node(0, None, false),
        ),
        rule("meianoite", vec![w(&["meianoite"])], |_, _| {
            clock_node(0, None, false)
        }),
        rule(
            "clock e M",
            vec![
                n(Kind::Time, clock_hour),
                w(&["e"]),
                n(Kind::Number, minute_num),
            ],
            |_, c| add_minutes(c[0], int(c[1])),
        ),
        rule(
            "clock e meia",
            vec![n(Kind::Time, clock_hour), w(&["e"]), w(&["meia"])],
            |_, c| meia(c[0]),
        ),
        rule(
            "N e M",
            vec![
                n(Kind::Number, hour_digits),
                w(&["e"]),
                n(Kind::Number, minute_num),
            ],
            // Without "às", small minutes are more likely counts ("2 e 3 sessões").
            |_, c| (int(c[1]) >= 10).then(|| clock_node(int(c[0]), Some(int(c[1])), true))?,
        ),
        rule(
            "N e meia",
            vec![n(Kind::Number, hour_num), w(&["e"]), w(&["meia"])],
            |_, c| clock_node(int(c[0]), Some(30), true),
        ),
        rule(
            "M para o clock",
            vec![
                n(Kind::Number, minute_num),
                w(&["para", "pra"]),
                opt(&["o", "a", "as"]),
                n(Kind::Time, clock_hour),
            ],
            |_, c| minutes_before(int(c[0]), c[1]),
        ),
        rule(
            "clock da tarde",
            vec![n(Kind::Time, clock), w(OF_POD), n(Kind::PartOfDay, pod)],
            |_, c| with_pod(c[0], pod_of(c[1])),
        ),
        rule(
            "N da tarde",
            vec![
                n(Kind::Number, hour_num),
                w(OF_POD),
                n(Kind::PartOfDay, pod),
            ],
            |_, c| with_pod(&clock_node(int(c[0]), None, true)?, pod_of(c[1])),
        ),
        rule(
            "clock pm",
            vec![n(Kind::Time, clock), w(&["pm"])],
            |_, c| pm(c[0], true),
        ),
        rule(
            "clock am",
            vec![n(Kind::Time, clock), w(&["am"])],
            |_, c| pm(c[0], false),
        ),
        rule(
            "N pm",
            vec![n(Kind::Number, hour_num), w(&["pm"])],
            |_, c| pm(&clock_node(int(c[0]), None, true)?, true),
        ),
        rule(
            "N am",
            vec![n(Kind::Number, hour_num), w(&["am"])],
            |_, c| pm(&clock_node(int(c[0]), None, true)?, false),
        ),
        rule(
            "de manha",
            vec![w(OF_POD), n(Kind::PartOfDay, pod)],
            |_, c| pod_form(pod_of(c[0])),
        ),
        rule(
            "esta noite",
            vec![w(super::rules_date::THIS), n(Kind::PartOfDay, pod)],
            |ctx, c| {
                let mut form = f(&super::preds::cycle(ctx, Grain::Day, 0)?);
                form.pod = pod_of(c[0]);
                Some(form_node(form))
            },
        ),
        rule(
            "depois do almoco",
            vec![w(&["depois", "apos"]), w(&["do", "o"]), w(&["almoco"])],
            |_, _| pod_form(Some(PartOfDay::AfterLunch)),
        ),
        rule(
            "hora do almoco",
            vec![w(&["hora", "horario"]), w(&["do"]), w(&["almoco"])],
            |_, _| pod_form(Some(PartOfDay::Lunch)),
        ),
    ]
}
