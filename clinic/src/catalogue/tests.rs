use super::*;
use crate::testing::{CATALOGUE, assert_errors, catalogue, catalogue_errors, edit};

#[test]
fn reads_the_fixture() {
    let c = catalogue();
    assert_eq!(c.procedures.len(), 3);
    let botox = c.procedure("botox").expect("botox");
    assert_eq!(
        botox.price,
        Price {
            from: Money(90_000),
            to: Some(Money(150_000)),
            unit: "por região".into()
        }
    );
    assert!(botox.price.is_range());
    assert_eq!(botox.sessions, 1);
    let drenagem = c.procedure("drenagem_linfatica").expect("drenagem");
    // `to` equal to `from` is an exact price.
    assert!(!drenagem.price.is_range());
    assert_eq!(
        (drenagem.sessions, drenagem.session_interval_days),
        (10, Some(3))
    );
    assert_eq!(
        c.condition("gestante").and_then(|t| t.question.as_deref()),
        Some("Você está grávida?")
    );
}

#[test]
fn synonyms_feed_entity_normalisation() {
    let synonyms = catalogue().synonyms();
    let has = |text: &str, id: &str, entity: &str| {
        synonyms
            .iter()
            .any(|(t, i, e)| t == text && i == id && e.as_str() == entity)
    };
    assert!(has("botoks", "botox", "procedure"));
    assert!(has("Toxina botulínica", "botox", "procedure"));
    assert!(has("grávida", "gestante", "condition"));
    assert!(has("gestação", "gestante", "condition"));
    assert!(has("pé de galinha", "rugas", "concern"));
    assert!(has("face", "rosto", "body_area"));
    // A label equal to its id is no synonym.
    assert!(!synonyms.iter().any(|(t, i, _)| t == i));
}

#[test]
fn training_synonyms_group_by_value() {
    let synonyms = catalogue().training_synonyms();
    let botox = synonyms.iter().find(|s| s.value == "botox").expect("botox");
    assert_eq!(botox.examples, vec!["Toxina botulínica", "btx", "botoks"]);
    // One block per value, even when two entities share it.
    let mut values: Vec<&str> = synonyms.iter().map(|s| s.value.as_str()).collect();
    let count = values.len();
    values.sort_unstable();
    values.dedup();
    assert_eq!(values.len(), count);
}

#[test]
fn screening_lists_the_contraindications_with_questions() {
    let c = catalogue();
    let ids = |p: &str| {
        c.screening(p).map(|terms| {
            terms
                .iter()
                .map(|t| t.id.as_str().to_owned())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        ids("botox"),
        Some(vec!["gestante".to_owned(), "lactante".to_owned()])
    );
    assert_eq!(ids("limpeza_de_pele"), Some(vec![]));
    assert_eq!(ids("laser"), None);
}

#[test]
fn unknown_ids_are_located() {
    let text = edit(
        CATALOGUE,
        "contraindications: [gestante, lactante]",
        "contraindications: [gestante, diabetes]",
    );
    let text = edit(&text, "concerns: [acne]", "concerns: [cravos]");
    let text = edit(&text, "body_areas: [coxas]", "body_areas: [pernas]");
    let errors = catalogue_errors(&text);
    assert_errors(
        &errors,
        &[
            "catalogue.yml:22:35: error: unknown condition `diabetes`",
            "unknown concern `cravos`",
            "unknown body area `pernas`",
        ],
    );
}

#[test]
fn one_synonym_for_two_procedures_is_an_error() {
    let text = edit(
        CATALOGUE,
        "synonyms: [btx, botoks]",
        "synonyms: [btx, botoks, Limpeza de Pele]",
    );
    let errors = catalogue_errors(&text);
    assert_errors(
        &errors,
        &[
            "catalogue.yml:28:11: error: `limpeza de pele` names both `botox` in procedures (at catalogue.yml:25:29) and `limpeza_de_pele` in procedures; a text can stand for one value only",
        ],
    );
}

#[test]
fn one_text_for_values_of_two_entities_is_an_error() {
    let text = edit(
        CATALOGUE,
        "synonyms: [espinhas]",
        "synonyms: [espinhas, face]",
    );
    let errors = catalogue_errors(&text);
    assert_errors(
        &errors,
        &["`face` names both `acne` in concerns (at catalogue.yml:9:44) and `rosto` in body_areas"],
    );
}

#[test]
fn the_same_word_may_name_one_value_of_two_entities() {
    // "olheiras" is both a concern and a body area in the clinic's contract.
    let text = edit(
        CATALOGUE,
        "celulite: {label: celulite}",
        "celulite: {label: celulite}\n  olheiras: {label: olheiras}",
    );
    let text = edit(
        &text,
        "coxas: {label: coxas}",
        "coxas: {label: coxas}\n  olheiras: {label: olheiras}",
    );
    assert_eq!(catalogue_errors(&text), Vec::<String>::new());
}

#[test]
fn bad_prices_and_media_are_errors() {
    let text = edit(
        CATALOGUE,
        "price: {from: 900, to: 1500",
        "price: {from: 900, to: 500",
    );
    let text = edit(&text, "price: {from: 180,", "price: {from: -180,");
    let text = edit(
        &text,
        "media: [https://example.com/botox.jpg]",
        "media: [fotos/botox.jpg]",
    );
    let errors = catalogue_errors(&text);
    assert_errors(
        &errors,
        &[
            "`price.to` (R$ 500,00) is below `price.from` (R$ 900,00)",
            "`price.from` must not be negative",
            "media `fotos/botox.jpg` must be an http(s) URL",
        ],
    );
}

#[test]
fn conditions_need_a_question_and_procedures_their_keys() {
    let text = edit(
        CATALOGUE,
        "anticoagulante: {label: uso de anticoagulante, question: Toma anticoagulante?}",
        "anticoagulante: {label: uso de anticoagulante}",
    );
    let text = edit(
        &text,
        "    duration_minutes: 60\n    price: {from: 180",
        "    price: {from: 180",
    );
    let errors = catalogue_errors(&text);
    assert_errors(
        &errors,
        &[
            "conditions `anticoagulante` needs a screening `question`",
            "procedure `limpeza_de_pele` needs `duration_minutes`",
        ],
    );
}
