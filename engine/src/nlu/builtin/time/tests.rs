//! Time expressions relative to a fixed reference, formal and informal pt-BR.

use crate::nlu::builtin::testing::{found, reference, wednesday, whole};
use crate::nlu::builtin::values::Dimension;
use serde_json::{Value, json};

fn at(value: &str, grain: &str) -> Value {
    json!({"type": "value", "value": value, "grain": grain})
}

fn between(from: Option<(&str, &str)>, to: Option<(&str, &str)>) -> Value {
    let mut v = json!({"type": "interval"});
    if let Some((value, grain)) = from {
        v["from"] = json!({"value": value, "grain": grain});
    }
    if let Some((value, grain)) = to {
        v["to"] = json!({"value": value, "grain": grain});
    }
    v
}

fn time(text: &str) -> Value {
    whole(text, &wednesday(), Dimension::Time)
}

#[test]
fn informal_clinic_requests() {
    for (text, want) in [
        (
            "amanha as 3 da tarde",
            at("2026-03-12T15:00:00.000-03:00", "hour"),
        ),
        ("amanhã às 15h", at("2026-03-12T15:00:00.000-03:00", "hour")),
        ("hj 15hrs", at("2026-03-11T15:00:00.000-03:00", "hour")),
        ("dia 12/03", at("2026-03-12T00:00:00.000-03:00", "day")),
        ("dia 15", at("2026-03-15T00:00:00.000-03:00", "day")),
        (
            "12 de março às 10h",
            at("2026-03-12T10:00:00.000-03:00", "hour"),
        ),
        (
            "daqui a 2 semanas",
            at("2026-03-25T00:00:00.000-03:00", "day"),
        ),
        ("em 3 dias", at("2026-03-14T10:00:00.000-03:00", "hour")),
        ("15h30", at("2026-03-11T15:30:00.000-03:00", "minute")),
        ("15:30", at("2026-03-11T15:30:00.000-03:00", "minute")),
        ("meio-dia", at("2026-03-11T12:00:00.000-03:00", "hour")),
        ("meia-noite", at("2026-03-12T00:00:00.000-03:00", "hour")),
        ("qui", at("2026-03-12T00:00:00.000-03:00", "day")),
        ("seg", at("2026-03-16T00:00:00.000-03:00", "day")),
        (
            "próxima segunda",
            at("2026-03-16T00:00:00.000-03:00", "day"),
        ),
        ("sexta que vem", at("2026-03-20T00:00:00.000-03:00", "day")),
        (
            "semana que vem",
            at("2026-03-16T00:00:00.000-03:00", "week"),
        ),
        ("mês que vem", at("2026-04-01T00:00:00.000-03:00", "month")),
        (
            "sexta às 9 e meia",
            at("2026-03-13T09:30:00.000-03:00", "minute"),
        ),
        (
            "quinze para as 3 da tarde",
            at("2026-03-11T14:45:00.000-03:00", "minute"),
        ),
    ] {
        assert_eq!(time(text), want, "{text}");
    }
}

#[test]
fn parts_of_day_and_intervals() {
    for (text, want) in [
        (
            "sabado de manha",
            between(
                Some(("2026-03-14T04:00:00.000-03:00", "hour")),
                Some(("2026-03-14T12:00:00.000-03:00", "hour")),
            ),
        ),
        (
            "depois do almoço",
            between(
                Some(("2026-03-11T13:00:00.000-03:00", "hour")),
                Some(("2026-03-11T18:00:00.000-03:00", "hour")),
            ),
        ),
        // Duckling's closed intervals end after the last hour named.
        (
            "entre 14h e 16h",
            between(
                Some(("2026-03-11T14:00:00.000-03:00", "hour")),
                Some(("2026-03-11T17:00:00.000-03:00", "hour")),
            ),
        ),
        (
            "de segunda a sexta",
            between(
                Some(("2026-03-16T00:00:00.000-03:00", "day")),
                Some(("2026-03-21T00:00:00.000-03:00", "day")),
            ),
        ),
        (
            "entre 14h e 16h dia 12/03",
            between(
                Some(("2026-03-12T14:00:00.000-03:00", "hour")),
                Some(("2026-03-12T17:00:00.000-03:00", "hour")),
            ),
        ),
        (
            "sexta, entre 9h e 10h",
            between(
                Some(("2026-03-13T09:00:00.000-03:00", "hour")),
                Some(("2026-03-13T11:00:00.000-03:00", "hour")),
            ),
        ),
        (
            "amanhã das 9h às 11h",
            between(
                Some(("2026-03-12T09:00:00.000-03:00", "hour")),
                Some(("2026-03-12T12:00:00.000-03:00", "hour")),
            ),
        ),
        (
            "a partir das 14h",
            between(Some(("2026-03-11T14:00:00.000-03:00", "hour")), None),
        ),
        (
            "até as 18h",
            between(None, Some(("2026-03-11T18:00:00.000-03:00", "hour"))),
        ),
        (
            "fim de semana",
            between(
                Some(("2026-03-13T18:00:00.000-03:00", "hour")),
                Some(("2026-03-16T00:00:00.000-03:00", "hour")),
            ),
        ),
    ] {
        assert_eq!(time(text), want, "{text}");
    }
}

#[test]
fn ambiguity_leans_to_the_future() {
    // 10:00 on a Wednesday: "às 8h" has passed, so tomorrow; "às 3" may be 15h today.
    assert_eq!(time("às 8h"), at("2026-03-12T08:00:00.000-03:00", "hour"));
    assert_eq!(time("as 3"), at("2026-03-11T15:00:00.000-03:00", "hour"));
    assert_eq!(
        time("9 e meia"),
        at("2026-03-11T21:30:00.000-03:00", "minute")
    );
    // A weekday is never the one under way; "passada" looks back.
    assert_eq!(time("quarta"), at("2026-03-18T00:00:00.000-03:00", "day"));
    assert_eq!(
        time("terça passada"),
        at("2026-03-10T00:00:00.000-03:00", "day")
    );
    // "sexta" on a Saturday is the next Friday.
    let saturday = reference("2026-03-14T09:00:00-03:00", "America/Sao_Paulo");
    assert_eq!(
        whole("sexta", &saturday, Dimension::Time),
        at("2026-03-20T00:00:00.000-03:00", "day")
    );
    // A date already past this year is next year's.
    assert_eq!(
        time("5 de fevereiro"),
        at("2027-02-05T00:00:00.000-03:00", "day")
    );
}

#[test]
fn the_zone_decides_the_day_and_the_offset() {
    // 01:00 UTC on the 12th is still the 11th in São Paulo.
    let utc = reference("2026-03-12T01:00:00Z", "UTC");
    let sp = reference("2026-03-12T01:00:00Z", "America/Sao_Paulo");
    assert_eq!(
        whole("amanhã", &utc, Dimension::Time),
        at("2026-03-13T00:00:00.000+00:00", "day")
    );
    assert_eq!(
        whole("amanhã", &sp, Dimension::Time),
        at("2026-03-12T00:00:00.000-03:00", "day")
    );
}

#[test]
fn times_inside_sentences() {
    let got = found(
        "oi, tem horário pra botox amanhã de tarde ou sexta às 10h?",
        &wednesday(),
        Dimension::Time,
    );
    let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["amanhã de tarde", "sexta às 10h"]);
}

#[test]
fn a_failed_combination_leaves_its_parts() {
    // A week and a part of the day do not make one time; both are still reported.
    let got = found("semana que vem, de tarde", &wednesday(), Dimension::Time);
    let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["semana que vem", "de tarde"]);
}

#[test]
fn words_that_are_not_times() {
    for text in [
        "vou ter que remarcar",
        "quero 2 sessões",
        "um",
        "no 987",
        "tem vaga?",
    ] {
        let got = found(text, &wednesday(), Dimension::Time);
        assert!(got.is_empty(), "{text}: {got:?}");
    }
}
