//! Durations ("2 semanas", "meia hora", "uma hora e meia") and the unit words that
//! relative times share ("daqui a 2 semanas").

use super::chart::{Chart, Kind, Node, Rule, UnitWord, n, rule, w};
use super::values::{DurationValue, Grain};

/// Unit words.
const UNITS: &[(&str, Grain, UnitWord)] = &[
    ("segundo", Grain::Second, UnitWord::Full),
    ("segundos", Grain::Second, UnitWord::Full),
    ("seg", Grain::Second, UnitWord::Short),
    ("segs", Grain::Second, UnitWord::Short),
    ("minuto", Grain::Minute, UnitWord::Full),
    ("minutos", Grain::Minute, UnitWord::Full),
    ("min", Grain::Minute, UnitWord::Short),
    ("mins", Grain::Minute, UnitWord::Short),
    ("hora", Grain::Hour, UnitWord::Full),
    ("horas", Grain::Hour, UnitWord::Full),
    ("h", Grain::Hour, UnitWord::Short),
    ("hs", Grain::Hour, UnitWord::Short),
    ("hr", Grain::Hour, UnitWord::Short),
    ("hrs", Grain::Hour, UnitWord::Short),
    ("dia", Grain::Day, UnitWord::Full),
    ("dias", Grain::Day, UnitWord::Full),
    ("semana", Grain::Week, UnitWord::Full),
    ("semanas", Grain::Week, UnitWord::Full),
    ("mes", Grain::Month, UnitWord::Full),
    ("meses", Grain::Month, UnitWord::Full),
    ("trimestre", Grain::Quarter, UnitWord::Full),
    ("trimestres", Grain::Quarter, UnitWord::Full),
    ("ano", Grain::Year, UnitWord::Full),
    ("anos", Grain::Year, UnitWord::Full),
];

/// Seeds unit words.
pub(super) fn scan(chart: &mut Chart<'_, '_>) {
    let tokens = chart.tokens();
    for (i, t) in tokens.iter().enumerate() {
        if let Some(&(_, grain, how)) = UNITS.iter().find(|(w, _, _)| *w == t.text) {
            chart.seed(i, i + 1, Node::Unit(grain, how));
        }
    }
}

/// Whether a node is a unit of time.
pub(super) fn unit(node: &Node<'_>) -> bool {
    matches!(node, Node::Unit(..))
}

/// The grain of a unit node.
pub(super) fn grain_of(node: &Node<'_>) -> Option<Grain> {
    match node {
        Node::Unit(g, _) => Some(*g),
        _ => None,
    }
}

fn count(node: &Node<'_>) -> bool {
    matches!(node, Node::Number(n) if n.value > 0.0)
}

fn duration<'a>(value: f64, unit: Grain) -> Option<Node<'a>> {
    Some(Node::Duration(DurationValue { value, unit }))
}

/// "meia hora" is 30 minutes and "uma hora e meia" 90, as Duckling reports them.
fn and_a_half<'a>(value: f64, unit: Grain) -> Option<Node<'a>> {
    match unit {
        Grain::Hour => duration(value * 60.0 + 30.0, Grain::Minute),
        Grain::Minute => duration(value * 60.0 + 30.0, Grain::Second),
        Grain::Day => duration(value * 24.0 + 12.0, Grain::Hour),
        _ => duration(value + 0.5, unit),
    }
}

/// The duration rules.
pub(super) fn rules() -> Vec<Rule> {
    vec![
        rule(
            "number unit",
            vec![n(Kind::Number, count), n(Kind::Unit, unit)],
            |_, c| match (c[0], c[1]) {
                (Node::Number(num), Node::Unit(g, _)) => duration(num.value, *g),
                _ => None,
            },
        ),
        rule(
            "meia unit",
            vec![w(&["meia", "meio"]), n(Kind::Unit, unit)],
            |_, c| and_a_half(0.0, grain_of(c[0])?),
        ),
        rule(
            "number unit e meia",
            vec![
                n(Kind::Number, count),
                n(Kind::Unit, unit),
                w(&["e"]),
                w(&["meia", "meio"]),
            ],
            |_, c| match (c[0], c[1]) {
                (Node::Number(num), Node::Unit(g, _)) => and_a_half(num.value, *g),
                _ => None,
            },
        ),
    ]
}
