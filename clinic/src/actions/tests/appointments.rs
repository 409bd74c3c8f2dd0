//! The actions on the patient's own appointments: choose, cancel, list, confirm.

use super::patient::{PATIENT, active, book, book_for, said, slot_events};
use super::*;
use crate::actions::appointments::{Upcoming, upcoming_appointments};

/// An in-memory calendar, shared with the action under test.
fn calendar() -> (Arc<InMemoryCalendar>, Arc<dyn Calendar>) {
    let calendar = Arc::new(InMemoryCalendar::new());
    let shared: Arc<dyn Calendar> = calendar.clone();
    (calendar, shared)
}

fn no_slots() -> Tracker {
    said("cancel_appointment", &[], &[])
}

// --- the chooser

#[tokio::test]
async fn upcoming_appointments_are_the_patients_own_not_started_earliest_first() {
    let (calendar, shared) = calendar();
    let tracker = no_slots();
    assert_eq!(
        upcoming_appointments(&tracker, now(), &*shared).await,
        Ok(Upcoming::None)
    );
    // Under way at 10:00 (started 09:30), and another patient's.
    book(&calendar, "botox", "2026-12-01T09:30").await;
    book_for(&calendar, "5511888880000", "botox", "2026-12-03T09:00").await;
    let late = book(&calendar, "botox", "2026-12-08T15:00").await;
    match upcoming_appointments(&tracker, now(), &*shared).await {
        Ok(Upcoming::One(a)) => assert_eq!(a.id, late.id),
        other => panic!("{other:?}"),
    }
    let early = book(&calendar, "limpeza_de_pele", "2026-12-04T15:00").await;
    match upcoming_appointments(&tracker, now(), &*shared).await {
        Ok(Upcoming::Several(all)) => {
            let ids: Vec<_> = all.iter().map(|a| a.id.clone()).collect();
            assert_eq!(ids, vec![early.id, late.id]);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ask_appointment_offers_one_short_button_per_appointment() {
    let (calendar, shared) = calendar();
    let a = book(&calendar, "botox", "2026-12-04T15:00").await;
    let b = book(&calendar, "drenagem_linfatica", "2026-12-05T09:00").await;
    let c = book(&calendar, "limpeza_de_pele", "2026-12-07T13:30").await;
    let result = run(&AskAppointment::new(clinic(), shared), &no_slots()).await;
    assert_eq!(texts(&result), vec!["Qual dos seus agendamentos?"]);
    let payload = |id: &AppointmentId| format!(r#"/inform{{"appointment": "{id}"}}"#);
    assert_eq!(
        buttons(&result),
        vec![
            ("04/12 15:00 Toxina".to_owned(), payload(&a.id)),
            ("05/12 09:00 Drenagem".to_owned(), payload(&b.id)),
            ("07/12 13:30 Limpeza".to_owned(), payload(&c.id)),
        ]
    );
    assert!(
        buttons(&result)
            .iter()
            .all(|(t, _)| t.chars().count() <= 20)
    );
    assert!(result.events.is_empty());
}

#[tokio::test]
async fn ask_appointment_asks_about_the_only_one_and_ends_the_form_without_any() {
    let (calendar, shared) = calendar();
    let action = AskAppointment::new(clinic(), shared);
    let none = run(&action, &no_slots()).await;
    assert!(texts(&none)[0].starts_with("Não encontrei nenhum agendamento futuro neste número."));
    assert_eq!(
        buttons(&none),
        vec![("Agendar horário".to_owned(), "/book_appointment".to_owned())]
    );
    assert_ends_the_form(&none);
    book(&calendar, "botox", "2026-12-04T15:00").await;
    let one = run(&action, &no_slots()).await;
    assert_eq!(texts(&one), vec!["É sobre este agendamento?"]);
    assert_eq!(buttons(&one).len(), 1);
}

#[tokio::test]
async fn a_long_procedure_name_is_cut_to_fit_a_button() {
    let (calendar, shared) = calendar();
    // Not in the catalogue, so the button shows its id: one long word.
    book(
        &calendar,
        "harmonizacao_facial_completa",
        "2026-12-04T15:00",
    )
    .await;
    book(&calendar, "limpeza_de_pele", "2026-12-05T09:00").await;
    let result = run(&AskAppointment::new(clinic(), shared), &no_slots()).await;
    let titles: Vec<String> = buttons(&result).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, vec!["04/12 15:00 harmoni…", "05/12 09:00 Limpeza"]);
    assert_eq!(titles[0].chars().count(), 20);
}

// --- validate_cancel_form

#[tokio::test]
async fn validate_cancel_form_fills_the_only_appointment() {
    let (calendar, shared) = calendar();
    let only = book(&calendar, "botox", "2026-12-04T15:00").await;
    let result = run(&ValidateCancelForm::new(clinic(), shared), &no_slots()).await;
    assert!(result.replies.is_empty());
    assert_eq!(
        slot_events(&result),
        vec![("appointment".to_owned(), json!(only.id.as_str()))]
    );
}

#[tokio::test]
async fn validate_cancel_form_without_appointments_ends_the_form() {
    let (_, shared) = calendar();
    let result = run(&ValidateCancelForm::new(clinic(), shared), &no_slots()).await;
    assert!(texts(&result)[0].starts_with("Não encontrei nenhum agendamento futuro"));
    assert_ends_the_form(&result);
}

/// `result` sets `requested_slot` to null and deactivates the form.
fn assert_ends_the_form(result: &ActionResult) {
    let kinds: Vec<_> = result.events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::slot("requested_slot", Value::Null),
            EventKind::active_loop(None)
        ]
    );
}

#[tokio::test]
async fn validate_cancel_form_with_several_leaves_the_choice_to_the_form() {
    let (calendar, shared) = calendar();
    book(&calendar, "botox", "2026-12-04T15:00").await;
    book(&calendar, "botox", "2026-12-08T15:00").await;
    let result = run(&ValidateCancelForm::new(clinic(), shared), &no_slots()).await;
    assert_eq!(result, ActionResult::default());
}

#[tokio::test]
async fn validate_cancel_form_keeps_a_choice_of_the_patients_own_given_now() {
    let (calendar, shared) = calendar();
    book(&calendar, "botox", "2026-12-04T15:00").await;
    let second = book(&calendar, "botox", "2026-12-08T15:00").await;
    let tracker = said(
        "inform",
        &[("requested_slot", json!("appointment"))],
        &[("appointment", json!(second.id.as_str()))],
    );
    let result = run(&ValidateCancelForm::new(clinic(), shared), &tracker).await;
    assert!(result.replies.is_empty());
    assert_eq!(
        slot_events(&result),
        vec![("appointment".to_owned(), json!(second.id.as_str()))]
    );
}

#[tokio::test]
async fn validate_cancel_form_clears_an_appointment_that_is_not_the_patients() {
    let (calendar, shared) = calendar();
    book(&calendar, "botox", "2026-12-04T15:00").await;
    let someone_elses = book_for(&calendar, "5511888880000", "botox", "2026-12-05T09:00").await;
    let action = ValidateCancelForm::new(clinic(), shared);
    let given_now = said(
        "inform",
        &[],
        &[("appointment", json!(someone_elses.id.as_str()))],
    );
    let result = run(&action, &given_now).await;
    assert_eq!(
        texts(&result),
        vec!["Não encontrei esse agendamento entre os seus próximos horários."]
    );
    assert_eq!(
        slot_events(&result),
        vec![("appointment".to_owned(), Value::Null)]
    );
    // Chosen on an earlier turn and gone since: cleared without a word.
    let earlier = said("inform", &[("appointment", json!("99"))], &[]);
    let result = run(&action, &earlier).await;
    assert!(result.replies.is_empty());
    assert_eq!(
        slot_events(&result),
        vec![("appointment".to_owned(), Value::Null)]
    );
}

#[tokio::test]
async fn validate_cancel_form_says_nothing_about_a_choice_made_earlier() {
    let (calendar, shared) = calendar();
    let a = book(&calendar, "botox", "2026-12-04T15:00").await;
    book(&calendar, "botox", "2026-12-08T15:00").await;
    // So a message that fills nothing else is still rejected by the form.
    let tracker = said("inform", &[("appointment", json!(a.id.as_str()))], &[]);
    let result = run(&ValidateCancelForm::new(clinic(), shared), &tracker).await;
    assert_eq!(result, ActionResult::default());
}

// --- action_cancel_appointment

#[tokio::test]
async fn cancel_cancels_the_chosen_appointment_and_clears_the_slot() {
    let (calendar, shared) = calendar();
    let keep = book(&calendar, "botox", "2026-12-08T15:00").await;
    let chosen = book(&calendar, "limpeza_de_pele", "2026-12-04T15:00").await;
    let tracker = said("affirm", &[("appointment", json!(chosen.id.as_str()))], &[]);
    let result = run(&CancelAppointment::new(clinic(), shared), &tracker).await;
    assert_eq!(
        texts(&result),
        vec![
            "Pronto, cancelei seu horário de *Limpeza de pele* – sexta, 04/12 às 15:00. ✅\n\
             Quando quiser remarcar, é só me chamar!"
        ]
    );
    assert_eq!(
        slot_events(&result),
        vec![("appointment".to_owned(), Value::Null)]
    );
    let left: Vec<_> = active(&calendar).await.into_iter().map(|a| a.id).collect();
    assert_eq!(left, vec![keep.id]);
}

#[tokio::test]
async fn cancel_inside_the_notice_keeps_the_appointment_and_offers_the_team() {
    let (calendar, shared) = calendar();
    // 23 hours ahead; the fixture's notice is 24.
    let soon = book(&calendar, "botox", "2026-12-02T09:00").await;
    let tracker = said("affirm", &[("appointment", json!(soon.id.as_str()))], &[]);
    let result = run(&CancelAppointment::new(clinic(), shared), &tracker).await;
    let text = texts(&result).join("\n");
    assert!(
        text.contains("pelo menos 24 horas de antecedência"),
        "{text}"
    );
    assert!(text.contains("quarta, 02/12 às 09:00"), "{text}");
    assert_eq!(
        buttons(&result),
        vec![("Falar com a equipe".to_owned(), "/talk_to_human".to_owned())]
    );
    assert_eq!(
        slot_events(&result),
        vec![("appointment".to_owned(), Value::Null)]
    );
    assert_eq!(active(&calendar).await.len(), 1);
}

#[tokio::test]
async fn cancel_without_a_chosen_appointment_says_nothing() {
    let (calendar, shared) = calendar();
    book(&calendar, "botox", "2026-12-04T15:00").await;
    let result = run(&CancelAppointment::new(clinic(), shared), &no_slots()).await;
    assert_eq!(result, ActionResult::default());
    assert_eq!(active(&calendar).await.len(), 1);
}

#[tokio::test]
async fn cancel_of_an_appointment_no_longer_active_says_so() {
    let (_, shared) = calendar();
    let tracker = said("affirm", &[("appointment", json!("7"))], &[]);
    let result = run(&CancelAppointment::new(clinic(), shared), &tracker).await;
    assert_eq!(
        texts(&result),
        vec!["Esse agendamento não está mais ativo, então não há nada para cancelar."]
    );
}

// --- action_list_appointments

#[tokio::test]
async fn list_shows_procedure_day_and_whether_confirmed() {
    let (calendar, shared) = calendar();
    let a = book(&calendar, "botox", "2026-12-04T15:00").await;
    book(&calendar, "drenagem_linfatica", "2026-12-05T09:00").await;
    if let Err(e) = calendar
        .set_status(PATIENT, &a.id, AppointmentStatus::Confirmed)
        .await
    {
        panic!("{e}");
    }
    let action = ListAppointments::new(clinic(), shared);
    let result = run(&action, &said("my_appointments", &[], &[])).await;
    assert_eq!(
        texts(&result),
        vec![
            "Seus próximos agendamentos:\n\
             • *Toxina botulínica* – sexta, 04/12 às 15:00 (confirmado ✅)\n\
             • *Drenagem linfática* – sábado, 05/12 às 09:00 (aguardando confirmação)"
        ]
    );
}

#[tokio::test]
async fn list_without_appointments_offers_to_book() {
    let (_, shared) = calendar();
    let result = run(
        &ListAppointments::new(clinic(), shared),
        &said("my_appointments", &[], &[]),
    )
    .await;
    assert!(texts(&result)[0].starts_with("Não encontrei nenhum agendamento futuro"));
    assert_eq!(buttons(&result)[0].1, "/book_appointment");
}

// --- action_confirm_appointment

#[tokio::test]
async fn confirm_confirms_the_next_unconfirmed_appointment_and_says_where() {
    let (calendar, shared) = calendar();
    let first = book(&calendar, "botox", "2026-12-04T15:00").await;
    let second = book(&calendar, "limpeza_de_pele", "2026-12-08T10:00").await;
    let action = ConfirmAppointment::new(clinic(), shared);
    let tracker = said("confirm_appointment", &[], &[]);
    let result = run(&action, &tracker).await;
    assert_eq!(
        texts(&result),
        vec![
            "Confirmado! ✅ Seu horário de *Toxina botulínica* – sexta, 04/12 às 15:00 está \
             garantido.\n📍 *Clínica Teste*: Rua das Flores, 10 - Centro, Campinas - SP\n\
             Te esperamos!"
        ]
    );
    let status = |all: &[Appointment], id: &AppointmentId| {
        all.iter().find(|a| &a.id == id).map(|a| a.status)
    };
    let all = active(&calendar).await;
    assert_eq!(status(&all, &first.id), Some(AppointmentStatus::Confirmed));
    assert_eq!(status(&all, &second.id), Some(AppointmentStatus::Booked));
    // The next "confirmo" confirms the next one; then everything is confirmed.
    run(&action, &tracker).await;
    let done = run(&action, &tracker).await;
    assert_eq!(
        texts(&done),
        vec![
            "Seu horário de *Toxina botulínica* – sexta, 04/12 às 15:00 já está confirmado. Até lá! 😊"
        ]
    );
}

#[tokio::test]
async fn confirm_without_appointments_says_so() {
    let (_, shared) = calendar();
    let result = run(
        &ConfirmAppointment::new(clinic(), shared),
        &said("confirm_appointment", &[], &[]),
    )
    .await;
    assert!(texts(&result)[0].starts_with("Não encontrei nenhum agendamento futuro"));
}

#[tokio::test]
async fn the_appointment_actions_fail_when_the_calendar_is_down() {
    let down: Arc<dyn Calendar> = Arc::new(Down);
    let tracker = said("cancel_appointment", &[("appointment", json!("1"))], &[]);
    let actions: Vec<Box<dyn Action>> = vec![
        Box::new(AskAppointment::new(clinic(), down.clone())),
        Box::new(ValidateCancelForm::new(clinic(), down.clone())),
        Box::new(CancelAppointment::new(clinic(), down.clone())),
        Box::new(ListAppointments::new(clinic(), down.clone())),
        Box::new(ConfirmAppointment::new(clinic(), down.clone())),
        Box::new(DeleteMyData::new(clinic(), down.clone())),
        Box::new(ExportMyData::new(clinic(), down.clone())),
    ];
    for action in &actions {
        match run_on(action.as_ref(), &tracker).await {
            Err(ActionError::Failed { action: name, .. }) => {
                assert_eq!(name.as_str(), action.name());
            }
            other => panic!("{}: {other:?}", action.name()),
        }
    }
}
