//! Seeds the time words: months, weekdays and parts of the day.

use super::{TimeForm, form_node};
use crate::nlu::builtin::chart::{Chart, Node, PartOfDay};
use jiff::civil::Weekday;

const MONTHS: &[(&str, i8)] = &[
    ("janeiro", 1),
    ("fevereiro", 2),
    ("marco", 3),
    ("abril", 4),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("agosto", 8),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
];

/// Abbreviations are everyday words too ("mar", "set", "dez"): latent alone.
const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez",
];

/// Full names, then abbreviations that stand alone; `ter` ("to have") needs its dot.
const WEEKDAYS: &[(&str, Weekday, bool)] = &[
    ("segunda", Weekday::Monday, true),
    ("terca", Weekday::Tuesday, true),
    ("quarta", Weekday::Wednesday, true),
    ("quinta", Weekday::Thursday, true),
    ("sexta", Weekday::Friday, true),
    ("sabado", Weekday::Saturday, true),
    ("domingo", Weekday::Sunday, true),
    ("seg", Weekday::Monday, false),
    ("qua", Weekday::Wednesday, false),
    ("qui", Weekday::Thursday, false),
    ("sex", Weekday::Friday, false),
    ("sab", Weekday::Saturday, false),
    ("dom", Weekday::Sunday, false),
];

const PARTS_OF_DAY: &[(&str, PartOfDay)] = &[
    ("manha", PartOfDay::Morning),
    ("manhazinha", PartOfDay::Morning),
    ("tarde", PartOfDay::Afternoon),
    ("tardinha", PartOfDay::Afternoon),
    ("noite", PartOfDay::Night),
    ("noitinha", PartOfDay::Night),
    ("madrugada", PartOfDay::EarlyMorning),
    ("almoco", PartOfDay::Lunch),
];

/// Seeds months, weekdays (with "-feira" and abbreviation dots) and parts of the day.
pub(in crate::nlu::builtin) fn scan(chart: &mut Chart<'_, '_>) {
    let tokens = chart.tokens();
    let text_at = |j: usize| tokens.get(j).map(|t| t.text);
    for (i, t) in tokens.iter().enumerate() {
        let dot = text_at(i + 1) == Some(".") && tokens.get(i + 1).is_some_and(|d| !d.space_before);
        let end_with_dot = if dot { i + 2 } else { i + 1 };
        if let Some(&(_, m)) = MONTHS.iter().find(|(w, _)| *w == t.text) {
            chart.seed(i, i + 1, month(m, false));
        }
        if let Some(m) = MONTH_ABBREVIATIONS.iter().position(|w| *w == t.text) {
            chart.seed(i, end_with_dot, month(m as i8 + 1, true));
        }
        if let Some(&(_, day, full)) = WEEKDAYS.iter().find(|(w, _, _)| *w == t.text) {
            chart.seed(i, i + 1, weekday(day));
            if full {
                // "segunda-feira", "segunda feira".
                let feira = match (text_at(i + 1), text_at(i + 2)) {
                    (Some("-"), Some("feira")) => Some(i + 3),
                    (Some("feira"), _) => Some(i + 2),
                    _ => None,
                };
                if let Some(end) = feira {
                    chart.seed(i, end, weekday(day));
                }
            } else if dot {
                chart.seed(i, i + 2, weekday(day));
            }
        }
        if t.text == "ter" && dot {
            chart.seed(i, i + 2, weekday(Weekday::Tuesday));
        }
        if let Some(&(_, pod)) = PARTS_OF_DAY.iter().find(|(w, _)| *w == t.text) {
            chart.seed(i, i + 1, Node::PartOfDay(pod));
        }
    }
}

fn month<'a>(m: i8, latent: bool) -> Node<'a> {
    form_node(TimeForm {
        month: Some(m),
        latent,
        ..TimeForm::default()
    })
}

fn weekday<'a>(day: Weekday) -> Node<'a> {
    form_node(TimeForm {
        weekday: Some(day),
        ..TimeForm::default()
    })
}
