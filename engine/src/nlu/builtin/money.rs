//! Amounts of money: "R$ 1.500,00", "1500 reais", "mil conto", "$10", "20€", "EUR 20".

use super::chart::{Chart, Kind, Node, Rule, n, opt, rule, w};
use super::values::Money;

/// Currency words and codes, and Duckling's unit for each.
const WORDS: &[(&str, &str)] = &[
    ("real", "BRL"),
    ("reais", "BRL"),
    ("brl", "BRL"),
    ("conto", "BRL"),
    ("contos", "BRL"),
    ("pila", "BRL"),
    ("pilas", "BRL"),
    ("dolar", "$"),
    ("dolares", "$"),
    ("usd", "USD"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("eur", "EUR"),
    ("libra", "£"),
    ("libras", "£"),
    ("gbp", "GBP"),
    ("pt", "PTS"),
    ("pta", "PTS"),
    ("ptas", "PTS"),
    ("$", "$"),
    ("€", "EUR"),
    ("£", "£"),
];

/// Seeds currency words and symbols; `R$` and `US$` are two tokens written together.
pub(super) fn scan(chart: &mut Chart<'_, '_>) {
    let tokens = chart.tokens();
    for i in 0..tokens.len() {
        let t = &tokens[i];
        if let Some(&(_, unit)) = WORDS.iter().find(|(w, _)| *w == t.text) {
            chart.seed(i, i + 1, Node::Currency(unit));
        }
        let dollar_after = tokens
            .get(i + 1)
            .is_some_and(|d| d.text == "$" && !d.space_before);
        match t.text {
            "r" if dollar_after => chart.seed(i, i + 2, Node::Currency("BRL")),
            "us" if dollar_after => chart.seed(i, i + 2, Node::Currency("USD")),
            _ => {}
        }
    }
}

fn currency(node: &Node<'_>) -> bool {
    matches!(node, Node::Currency(_))
}

fn amount(node: &Node<'_>) -> bool {
    matches!(node, Node::Number(n) if n.value >= 0.0)
}

fn money<'a>(amount: &Node<'_>, unit: &Node<'_>) -> Option<Node<'a>> {
    match (amount, unit) {
        (Node::Number(n), Node::Currency(unit)) => Some(Node::Money(Money {
            amount: n.value,
            unit,
        })),
        _ => None,
    }
}

fn money_amount(node: &Node<'_>) -> bool {
    matches!(node, Node::Money(m) if m.unit == "BRL")
}

/// The money rules.
pub(super) fn rules() -> Vec<Rule> {
    vec![
        rule(
            "currency amount",
            vec![n(Kind::Currency, currency), n(Kind::Number, amount)],
            |_, c| money(c[1], c[0]),
        ),
        rule(
            "amount de currency",
            vec![
                n(Kind::Number, amount),
                opt(&["de"]),
                n(Kind::Currency, currency),
            ],
            |_, c| money(c[0], c[1]),
        ),
        // "2 reais e 50 centavos", "R$ 2 e 50".
        rule(
            "reais e centavos",
            vec![
                n(Kind::Money, money_amount),
                w(&["e", "com"]),
                n(Kind::Number, amount),
                w(&["centavos", "centavo"]),
            ],
            |_, c| match (c[0], c[1]) {
                (Node::Money(m), Node::Number(cents)) if cents.value < 100.0 => {
                    Some(Node::Money(Money {
                        amount: m.amount + cents.value / 100.0,
                        unit: m.unit,
                    }))
                }
                _ => None,
            },
        ),
    ]
}
