use super::*;
use crate::testing::catalogue;

fn ids<T: for<'s> From<&'s str>>(items: &[&str]) -> Vec<T> {
    items.iter().map(|s| T::from(s)).collect()
}

fn ranked(r: &Recommendation) -> Vec<&str> {
    r.ranked.iter().map(|x| x.procedure.as_str()).collect()
}

#[test]
fn concerns_rank_procedures_with_a_reason() {
    let r = recommend(
        &catalogue(),
        &ids::<ConcernId>(&["rugas", "linhas_expressao"]),
        &ids::<BodyAreaId>(&["testa"]),
        &[],
    );
    assert_eq!(ranked(&r), vec!["botox"]);
    assert_eq!(r.ranked[0].score, 5);
    assert_eq!(
        r.ranked[0].reason,
        "Toxina botulínica: trata rugas e linhas de expressão (testa); 1 sessão, a partir de R$ 900,00 por região."
    );
}

#[test]
fn more_matches_rank_higher_and_ties_keep_catalogue_order() {
    let cat = catalogue();
    let r = recommend(
        &cat,
        &ids::<ConcernId>(&["acne", "rugas"]),
        &ids::<BodyAreaId>(&["rosto"]),
        &[],
    );
    // limpeza: acne + rosto = 3; botox: rugas = 2.
    assert_eq!(ranked(&r), vec!["limpeza_de_pele", "botox"]);
    let r = recommend(&cat, &ids::<ConcernId>(&["acne", "rugas"]), &[], &[]);
    assert_eq!(ranked(&r), vec!["botox", "limpeza_de_pele"]);
}

#[test]
fn an_area_alone_suggests_what_treats_it() {
    let r = recommend(&catalogue(), &[], &ids::<BodyAreaId>(&["coxas"]), &[]);
    assert_eq!(ranked(&r), vec!["drenagem_linfatica"]);
    assert!(
        r.ranked[0]
            .reason
            .contains("atua na região: coxas; 10 sessões, R$ 150,00 por sessão."),
        "{}",
        r.ranked[0].reason
    );
    // With a concern given, the area is not enough on its own.
    let r = recommend(
        &catalogue(),
        &ids::<ConcernId>(&["acne"]),
        &ids::<BodyAreaId>(&["coxas"]),
        &[],
    );
    assert_eq!(ranked(&r), vec!["limpeza_de_pele"]);
}

#[test]
fn contraindicated_procedures_are_set_aside_with_why() {
    let r = recommend(
        &catalogue(),
        &ids::<ConcernId>(&["rugas", "acne"]),
        &[],
        &ids::<ConditionId>(&["gestante", "lactante"]),
    );
    assert_eq!(ranked(&r), vec!["limpeza_de_pele"]);
    assert_eq!(r.excluded.len(), 1);
    assert_eq!(
        r.excluded[0].conditions,
        ids::<ConditionId>(&["gestante", "lactante"])
    );
    assert_eq!(
        r.excluded[0].reason,
        "Toxina botulínica não é indicado em caso de gestação e amamentação."
    );
}

#[test]
fn nothing_matches_nothing() {
    assert_eq!(
        recommend(&catalogue(), &[], &[], &[]),
        Recommendation::default()
    );
}
