//! The actions run through a real [`ActionContext`] on conversations built from events.

mod appointments;
mod info;
mod patient;

use super::*;
use crate::calendar::{
    Appointment, AppointmentId, AppointmentStatus, Calendar, CalendarError, Capacity,
    InMemoryCalendar, NewAppointment,
};
use crate::testing::data;
use crate::{Booking, ProcedureId};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, BoxFuture};
use bela_engine::dialogue::domain::Domain;
use bela_engine::dialogue::events::{Event, EventKind, ParseData, UserUttered};
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::SenderId;
use bela_engine::nlu::ParsedEntity;
use jiff::{Timestamp, Zoned};
use serde_json::{Value, json};
use std::sync::Arc;

/// Tuesday 2026-12-01, 10:00 in São Paulo.
const NOW: &str = "2026-12-01T10:00:00-03:00";

fn zoned(text: &str) -> Zoned {
    match format!("{text}[America/Sao_Paulo]").parse() {
        Ok(z) => z,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn now() -> f64 {
    zoned(NOW).timestamp().as_second() as f64
}

/// A conversation: `slots` set, then a user message with `entities` (Rasa's JSON).
fn conversation(slots: &[(&str, Value)], entities: Value) -> Tracker {
    let t = now() - 10.0;
    let mut events: Vec<Event> = slots
        .iter()
        .map(|(name, value)| Event::new(EventKind::slot(*name, value.clone()), t))
        .collect();
    let entities: Vec<ParsedEntity> = match serde_json::from_value(entities) {
        Ok(e) => e,
        Err(e) => panic!("bad entities: {e}"),
    };
    let message = UserUttered {
        text: Some("mensagem".into()),
        parse_data: ParseData {
            entities,
            ..ParseData::default()
        },
        input_channel: None,
        message_id: None,
    };
    events.push(Event::new(EventKind::User(message), t));
    Tracker::from_events(SenderId::new("5511999990000"), Arc::default(), events)
}

fn entity(name: &str, value: Value) -> Value {
    json!({"entity": name, "start": 0, "end": 1, "value": value})
}

async fn run_on(action: &dyn Action, tracker: &Tracker) -> Result<ActionResult, ActionError> {
    run_at(action, tracker, now()).await
}

/// Runs `action` at `now` (Unix seconds).
async fn run_at(
    action: &dyn Action,
    tracker: &Tracker,
    now: f64,
) -> Result<ActionResult, ActionError> {
    let domain = Domain::default();
    let picker = |_: usize| 0;
    let ctx = ActionContext {
        tracker,
        domain: &domain,
        channel: None,
        now,
        picker: &picker,
    };
    action.run(&ctx).await
}

async fn run(action: &dyn Action, tracker: &Tracker) -> ActionResult {
    match run_on(action, tracker).await {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn texts(result: &ActionResult) -> Vec<String> {
    result
        .replies
        .iter()
        .filter_map(|r| r.text.clone())
        .collect()
}

fn buttons(result: &ActionResult) -> Vec<(String, String)> {
    result
        .replies
        .iter()
        .flat_map(|r| &r.data.buttons)
        .map(|b| (b.title.clone(), b.payload.clone()))
        .collect()
}

fn clinic() -> Arc<ClinicData> {
    Arc::new(data())
}

/// The clinic's own configuration and catalogue, from the project root.
fn own_clinic() -> Arc<ClinicData> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match ClinicData::load(&root) {
        Ok(d) => Arc::new(d),
        Err(e) => panic!("{e:?}"),
    }
}

fn no_bookings() -> Arc<dyn Calendar> {
    Arc::new(InMemoryCalendar::new())
}

const PROCEDURES: &str =
    "Trabalhamos com: Toxina botulínica, Limpeza de pele e Drenagem linfática.";

// --- action_procedure_info

#[tokio::test]
async fn procedure_info_describes_the_procedure_entity() {
    let tracker = conversation(
        &[("procedure", json!("drenagem_linfatica"))],
        json!([entity("procedure", json!("botox"))]),
    );
    let result = run(&ProcedureInfo::new(clinic()), &tracker).await;
    assert_eq!(
        texts(&result),
        vec![
            "*Toxina botulínica*\nRelaxa os músculos que formam as rugas de expressão.\n\
             Duração: 30 minutos por sessão.\nValor: de R$ 900,00 a R$ 1.500,00 por região.\n\
             Sessões: normalmente 1.\nRecuperação: Sem afastamento."
        ]
    );
    assert!(result.events.is_empty());
}

#[tokio::test]
async fn procedure_info_falls_back_to_the_slot() {
    let tracker = conversation(&[("procedure", json!("drenagem_linfatica"))], json!([]));
    let text = texts(&run(&ProcedureInfo::new(clinic()), &tracker).await).join("\n");
    assert!(text.starts_with("*Drenagem linfática*"), "{text}");
    assert!(text.contains("Valor: R$ 150,00 por sessão."), "{text}");
    assert!(
        text.contains("Sessões: normalmente 10, a cada 3 dias."),
        "{text}"
    );
}

#[tokio::test]
async fn procedure_info_without_or_with_an_unknown_procedure_lists_the_catalogue() {
    let action = ProcedureInfo::new(clinic());
    let none = run(&action, &conversation(&[], json!([]))).await;
    assert_eq!(
        texts(&none),
        vec![format!(
            "Sobre qual procedimento você quer saber? {PROCEDURES}"
        )]
    );
    let unknown = conversation(&[], json!([entity("procedure", json!("tatuagem"))]));
    assert_eq!(
        texts(&run(&action, &unknown).await),
        vec![format!(
            "Não encontrei tatuagem no nosso catálogo. {PROCEDURES}"
        )]
    );
}

// --- action_quote

#[tokio::test]
async fn quote_prices_every_procedure_with_the_voucher_upper_cased() {
    let tracker = conversation(
        &[],
        json!([
            entity("procedure", json!("botox")),
            entity("procedure", json!("limpeza_de_pele")),
            entity("voucher", json!("bela10")),
        ]),
    );
    let result = run(&QuoteAction::new(clinic(), no_bookings()), &tracker).await;
    let text = texts(&result).join("\n");
    assert!(text.starts_with("Seu orçamento:\n"), "{text}");
    assert!(
        text.contains("• Toxina botulínica: a partir de R$ 900,00"),
        "{text}"
    );
    assert!(text.contains("• Limpeza de pele: R$ 180,00"), "{text}");
    assert!(
        text.contains("Desconto Combo pele (10%): -R$ 108,00"),
        "{text}"
    );
    // 1080 - 108 = 972; BELA10 takes 10 % of that.
    assert!(text.contains("Cupom BELA10 (10%): -R$ 97,20"), "{text}");
    assert!(text.contains("Total: a partir de R$ 874,80"), "{text}");
    assert!(result.events.is_empty());
}

#[tokio::test]
async fn quote_counts_voucher_uses_from_the_booking_source() {
    let bookings = InMemoryCalendar::new();
    for _ in 0..100 {
        if let Err(e) = bookings.redeem_voucher("bela10", "someone", None).await {
            panic!("{e}");
        }
    }
    let tracker = conversation(
        &[("voucher", json!("Bela10")), ("procedure", json!("botox"))],
        json!([]),
    );
    let text =
        texts(&run(&QuoteAction::new(clinic(), Arc::new(bookings)), &tracker).await).join("\n");
    assert!(
        text.contains("O cupom BELA10 já atingiu o limite de usos."),
        "{text}"
    );
    assert!(text.contains("Total: a partir de R$ 900,00"), "{text}");
}

#[tokio::test]
async fn quote_takes_the_usual_sessions_so_course_packages_apply() {
    let tracker = conversation(
        &[],
        json!([entity("procedure", json!("drenagem_linfatica"))]),
    );
    let text = texts(&run(&QuoteAction::new(clinic(), no_bookings()), &tracker).await).join("\n");
    assert!(
        text.contains("• Drenagem linfática, 10 sessões: R$ 1.500,00"),
        "{text}"
    );
    assert!(
        text.contains("Desconto Pacote drenagem (20%): -R$ 300,00"),
        "{text}"
    );
}

#[tokio::test]
async fn quote_asks_for_procedures_and_names_unknown_ones() {
    let action = QuoteAction::new(clinic(), no_bookings());
    assert_eq!(
        texts(&run(&action, &conversation(&[], json!([]))).await),
        vec![format!(
            "De quais procedimentos você quer o orçamento? {PROCEDURES}"
        )]
    );
    let mixed = conversation(
        &[],
        json!([
            entity("procedure", json!("tatuagem")),
            entity("procedure", json!("limpeza_de_pele")),
        ]),
    );
    let replies = texts(&run(&action, &mixed).await);
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert!(
        replies[0].contains("Limpeza de pele: R$ 180,00"),
        "{replies:?}"
    );
    assert_eq!(
        replies[1],
        format!("Não encontrei tatuagem no nosso catálogo. {PROCEDURES}")
    );
    let only_unknown = conversation(&[], json!([entity("procedure", json!("tatuagem"))]));
    assert_eq!(texts(&run(&action, &only_unknown).await).len(), 1);
}

// --- action_recommend_procedures

#[tokio::test]
async fn recommend_ranks_procedures_with_buttons_to_learn_more() {
    let tracker = conversation(
        &[("body_area", json!("testa"))],
        json!([entity("concern", json!("rugas"))]),
    );
    let result = run(&RecommendProcedures::new(clinic()), &tracker).await;
    assert_eq!(
        texts(&result),
        vec![
            "Pelo que você me contou, estas são as opções mais indicadas:\n1. Toxina \
             botulínica: trata rugas (testa); 1 sessão, a partir de R$ 900,00 por região."
        ]
    );
    assert_eq!(
        buttons(&result),
        vec![(
            "Toxina botulínica".to_owned(),
            r#"/ask_procedure_info{"procedure": "botox"}"#.to_owned()
        )]
    );
}

#[tokio::test]
async fn recommend_sets_aside_contraindicated_procedures() {
    let tracker = conversation(
        &[("conditions", json!(["gestante"]))],
        json!([entity("concern", json!("rugas"))]),
    );
    let result = run(&RecommendProcedures::new(clinic()), &tracker).await;
    assert_eq!(
        texts(&result),
        vec![
            "Toxina botulínica não é indicado em caso de gestação.\nPara o seu caso, o ideal \
             é uma avaliação presencial com a nossa equipe. Quer agendar?"
        ]
    );
    assert!(buttons(&result).is_empty());
}

#[tokio::test]
async fn recommend_without_a_concern_asks_for_one() {
    let result = run(
        &RecommendProcedures::new(clinic()),
        &conversation(&[], json!([])),
    )
    .await;
    let text = texts(&result).join("\n");
    assert!(
        text.starts_with("Me conta o que você gostaria de melhorar"),
        "{text}"
    );
}

// --- action_check_availability

fn booking(start: &str, end: &str) -> Booking {
    Booking {
        start: zoned(start),
        end: zoned(end),
        procedure: Some(ProcedureId::new("botox")),
    }
}

fn time_entity(info: Value) -> Value {
    json!({"entity": "time", "start": 0, "end": 5, "value": "ignored", "additional_info": info})
}

#[tokio::test]
async fn availability_offers_the_nearest_slots_as_inform_buttons() {
    let tracker = conversation(&[("procedure", json!("limpeza_de_pele"))], json!([]));
    let result = run(&CheckAvailability::new(clinic(), no_bookings()), &tracker).await;
    assert_eq!(
        texts(&result),
        vec!["Tenho estes horários para Limpeza de pele:"]
    );
    // One hour of notice from 10:00; the morning closes at 12:00.
    assert_eq!(
        buttons(&result),
        vec![
            (
                "ter, 01/12 às 11:00".to_owned(),
                r#"/inform{"time": "2026-12-01T11:00:00.000-03:00"}"#.to_owned()
            ),
            (
                "ter, 01/12 às 13:00".to_owned(),
                r#"/inform{"time": "2026-12-01T13:00:00.000-03:00"}"#.to_owned()
            ),
            (
                "ter, 01/12 às 13:30".to_owned(),
                r#"/inform{"time": "2026-12-01T13:30:00.000-03:00"}"#.to_owned()
            ),
        ]
    );
    assert!(result.events.is_empty());
}

#[tokio::test]
async fn availability_reads_the_duckling_value_of_the_time_entity() {
    let tracker = conversation(
        &[("procedure", json!("botox"))],
        json!([time_entity(json!({"type": "value", "grain": "hour",
                                  "value": "2026-12-02T15:00:00.000-03:00"}))]),
    );
    let result = run(&CheckAvailability::new(clinic(), no_bookings()), &tracker).await;
    let titles: Vec<String> = buttons(&result).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles[..2], ["qua, 02/12 às 15:00", "qua, 02/12 às 15:30"]);
    assert_eq!(
        texts(&result),
        vec!["Tenho estes horários para Toxina botulínica:"]
    );
}

#[tokio::test]
async fn availability_says_when_the_window_asked_for_is_full() {
    let bookings = InMemoryCalendar::with_bookings(vec![booking(
        "2026-12-02T15:00:00",
        "2026-12-02T16:00:00",
    )]);
    let tracker = conversation(
        &[("procedure", json!("botox"))],
        json!([time_entity(json!({"type": "value", "grain": "hour",
                                  "value": "2026-12-02T15:00:00.000-03:00"}))]),
    );
    let result = run(
        &CheckAvailability::new(clinic(), Arc::new(bookings)),
        &tracker,
    )
    .await;
    assert_eq!(
        texts(&result),
        vec!["Nesse período não tenho horário livre para Toxina botulínica; os mais próximos são:"]
    );
    let titles: Vec<String> = buttons(&result).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles.len(), 3);
    assert!(!titles.iter().any(|t| t.contains("às 15:")), "{titles:?}");
}

#[tokio::test]
async fn availability_reads_rasas_interval_value_and_the_time_slot() {
    // Rasa's simple value of an interval (no additional_info), e.g. from a story.
    let interval = json!({"entity": "time", "start": 0, "end": 5, "value":
        {"from": "2026-12-03T13:00:00.000-03:00", "to": "2026-12-03T18:00:00.000-03:00"}});
    let tracker = conversation(&[("procedure", json!("botox"))], json!([interval]));
    let action = CheckAvailability::new(clinic(), no_bookings());
    let first = buttons(&run(&action, &tracker).await);
    assert_eq!(first[0].0, "qui, 03/12 às 13:00");
    let slot = conversation(
        &[
            ("procedure", json!("botox")),
            ("time", json!("2026-12-04T09:30:00.000-03:00")),
        ],
        json!([]),
    );
    assert_eq!(
        buttons(&run(&action, &slot).await)[0].0,
        "sex, 04/12 às 09:30"
    );
}

#[tokio::test]
async fn an_unreadable_time_entity_leaves_the_time_slot_to_decide() {
    // A trained extractor's raw text, not a resolved time.
    let raw = json!({"entity": "time", "start": 0, "end": 6, "value": "amanhã"});
    let tracker = conversation(
        &[
            ("procedure", json!("botox")),
            ("time", json!("2026-12-04T09:30:00.000-03:00")),
        ],
        json!([raw]),
    );
    let action = CheckAvailability::new(clinic(), no_bookings());
    assert_eq!(
        buttons(&run(&action, &tracker).await)[0].0,
        "sex, 04/12 às 09:30"
    );
}

#[tokio::test]
async fn availability_asks_for_a_known_procedure() {
    let action = CheckAvailability::new(clinic(), no_bookings());
    assert_eq!(
        texts(&run(&action, &conversation(&[], json!([]))).await),
        vec!["Para qual procedimento você quer ver os horários?"]
    );
    let unknown = conversation(&[("procedure", json!("tatuagem"))], json!([]));
    assert_eq!(
        texts(&run(&action, &unknown).await),
        vec![format!(
            "Não encontrei tatuagem no nosso catálogo. {PROCEDURES}"
        )]
    );
}

/// A calendar that is down.
struct Down;

impl Calendar for Down {
    fn bookings(
        &self,
        _: Timestamp,
        _: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, CalendarError>> {
        down()
    }

    fn book(
        &self,
        _: NewAppointment,
        _: Capacity,
    ) -> BoxFuture<'_, Result<Appointment, CalendarError>> {
        down()
    }

    fn reschedule<'a>(
        &'a self,
        _: &'a str,
        _: &'a AppointmentId,
        _: Zoned,
        _: Zoned,
        _: Capacity,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        down()
    }

    fn set_status<'a>(
        &'a self,
        _: &'a str,
        _: &'a AppointmentId,
        _: AppointmentStatus,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        down()
    }

    fn upcoming<'a>(
        &'a self,
        _: &'a str,
        _: Timestamp,
    ) -> BoxFuture<'a, Result<Vec<Appointment>, CalendarError>> {
        down()
    }

    fn voucher_uses<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<u32, CalendarError>> {
        down()
    }

    fn redeem_voucher<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: Option<u32>,
    ) -> BoxFuture<'a, Result<u32, CalendarError>> {
        down()
    }
}

fn down<T: Send + 'static>() -> BoxFuture<'static, Result<T, CalendarError>> {
    Box::pin(async { Err(CalendarError::Storage("connection refused".into())) })
}

#[tokio::test]
async fn a_calendar_that_is_down_fails_the_action() {
    let tracker = conversation(
        &[("procedure", json!("botox")), ("voucher", json!("BELA10"))],
        json!([]),
    );
    let down: Arc<dyn Calendar> = Arc::new(Down);
    for action in [
        &CheckAvailability::new(clinic(), down.clone()) as &dyn Action,
        &QuoteAction::new(clinic(), down.clone()),
    ] {
        match run_on(action, &tracker).await {
            Err(ActionError::Failed {
                action: name,
                reason,
            }) => {
                assert_eq!(name.as_str(), action.name());
                assert!(reason.contains("connection refused"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}

// --- the set

#[test]
fn every_clinic_action_is_registered_under_its_domain_name() {
    let mut registry = ActionRegistry::new();
    register(&mut registry, clinic(), no_bookings());
    for name in [
        "action_procedure_info",
        "action_quote",
        "action_recommend_procedures",
        "action_check_availability",
        "validate_booking_form",
        "action_ask_time",
        "action_ask_conditions",
        "action_booking_summary",
        "action_book_appointment",
        "action_reset_booking",
        "action_screen_contraindications",
        "action_ask_appointment",
        "validate_cancel_form",
        "action_cancel_appointment",
        "action_list_appointments",
        "action_confirm_appointment",
        "action_handoff_human",
        "action_clinic_info",
        "action_delete_my_data",
        "action_export_my_data",
        "validate_reschedule_form",
        "action_ask_reschedule_form_time",
        "action_reschedule_appointment",
        "action_appointment_reminder",
        "action_follow_up",
        "action_store_satisfaction",
    ] {
        assert!(registry.is_registered(name), "{name}");
    }
    assert_eq!(clinic_actions(clinic(), no_bookings()).len(), 26);
}

#[tokio::test]
async fn every_procedure_of_the_clinics_own_catalogue_is_described_quoted_and_offered() {
    let data = own_clinic();
    let info = ProcedureInfo::new(data.clone());
    let quote = QuoteAction::new(data.clone(), no_bookings());
    let slots = CheckAvailability::new(data.clone(), no_bookings());
    for p in &data.catalogue.procedures {
        let tracker = conversation(&[("procedure", json!(p.id.as_str()))], json!([]));
        let described = texts(&run(&info, &tracker).await).join("\n");
        assert!(
            described.starts_with(&format!("*{}*", p.name)),
            "{described}"
        );
        let quoted = texts(&run(&quote, &tracker).await).join("\n");
        assert!(quoted.contains(&p.name), "{quoted}");
        assert_eq!(buttons(&run(&slots, &tracker).await).len(), 3, "{}", p.id);
    }
}
