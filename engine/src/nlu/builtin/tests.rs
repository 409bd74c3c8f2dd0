//! Numbers, ordinals, money and durations, and how values of different dimensions share
//! a sentence.

use super::testing::{found, wednesday, whole};
use super::values::Dimension;
use serde_json::{Value, json};

fn value(text: &str, dimension: Dimension) -> Value {
    whole(text, &wednesday(), dimension)["value"].clone()
}

#[test]
fn brazilian_numbers() {
    for (text, want) in [
        ("1.500,50", json!(1500.5)),
        ("1.500", json!(1500)),
        ("vinte e cinco", json!(25)),
        ("mil e duzentos", json!(1200)),
        ("meia dúzia", json!(6)),
        ("duzentos e quarenta e três", json!(243)),
        ("dois milhões", json!(2_000_000)),
        ("10k", json!(10_000)),
        ("-3", json!(-3)),
    ] {
        assert_eq!(value(text, Dimension::Number), want, "{text}");
    }
}

#[test]
fn ordinals() {
    for (text, want) in [
        ("terceira", 3),
        ("décimo primeiro", 11),
        ("2ª", 2),
        ("1º", 1),
    ] {
        assert_eq!(value(text, Dimension::Ordinal), json!(want), "{text}");
    }
}

#[test]
fn money_in_reais() {
    for (text, amount) in [
        ("R$ 1.500,00", json!(1500)),
        ("R$2,50", json!(2.5)),
        ("1500 reais", json!(1500)),
        ("mil conto", json!(1000)),
        ("duzentos reais", json!(200)),
        ("2 reais e 50 centavos", json!(2.5)),
    ] {
        let v = whole(text, &wednesday(), Dimension::AmountOfMoney);
        assert_eq!(v["value"], amount, "{text}");
        assert_eq!(v["unit"], "BRL", "{text}");
    }
}

#[test]
fn durations_with_normalized_seconds() {
    for (text, unit, amount, seconds) in [
        ("2 semanas", "week", 2, 1_209_600),
        ("meia hora", "minute", 30, 1_800),
        ("uma hora e meia", "minute", 90, 5_400),
        ("3 dias", "day", 3, 259_200),
    ] {
        let v = whole(text, &wednesday(), Dimension::Duration);
        assert_eq!(
            v,
            json!({"type": "value", "value": amount, "unit": unit, unit: amount,
                   "normalized": {"unit": "second", "value": seconds}}),
            "{text}"
        );
    }
}

#[test]
fn richer_readings_win_on_the_same_text() {
    let all = Dimension::ALL;
    let got: Vec<(String, Dimension)> = super::extract(
        "quero 2 sessões de R$ 150 amanhã às 15h, meu email é ana@x.com",
        &wednesday(),
        &all,
    )
    .into_iter()
    .map(|e| (e.text.clone(), e.dimension()))
    .collect();
    assert_eq!(
        got,
        [
            ("2".to_owned(), Dimension::Number),
            ("R$ 150".to_owned(), Dimension::AmountOfMoney),
            ("amanhã às 15h".to_owned(), Dimension::Time),
            ("ana@x.com".to_owned(), Dimension::Email),
        ]
    );
}

#[test]
fn voucher_codes_hold_no_values() {
    let got = super::extract(
        "usando o VERAO2026 quanto fica?",
        &wednesday(),
        &Dimension::ALL,
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn an_empty_or_odd_text_finds_nothing() {
    for text in ["", "   ", "?!", "😀😀"] {
        assert!(
            found(text, &wednesday(), Dimension::Number).is_empty(),
            "{text:?}"
        );
    }
}

#[test]
fn odd_input_never_panics_and_impossible_dates_are_dropped() {
    let odd = [
        "31/02/2026",
        "dia 31 de fevereiro",
        "99:99",
        "25h",
        "em 99999999999999999999 anos",
        "daqui a 900000000000 semanas",
        "centésimo mês de 2013",
        "99999999999999999999999999,999999999999999999",
        "- - - , , 1.2.3.4.5",
        "às às às",
        "ẞ İ ﬁ 𝟙𝟚 ١٢",
        "R$",
        "de a até entre e",
    ];
    for text in odd {
        let got = super::extract(text, &wednesday(), &Dimension::ALL);
        for e in &got {
            assert!(
                e.start < e.end && e.end <= text.chars().count(),
                "{text}: {e:?}"
            );
        }
    }
    assert!(found("31/02/2026", &wednesday(), Dimension::Time).is_empty());
    assert!(found("dia 31 de fevereiro", &wednesday(), Dimension::Time).is_empty());
    // A long message (WhatsApp's 4,096 characters) is read whole.
    let long = "amanhã às 15h ou sexta de manhã, custa R$ 150? ".repeat(90);
    let got = super::extract(&long, &wednesday(), &Dimension::ALL);
    assert_eq!(got.len(), 90 * 3);
}
