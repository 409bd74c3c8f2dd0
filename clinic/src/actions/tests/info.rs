//! Clinic information, the hand-off to staff, and the patient's data rights.

use super::patient::{PATIENT, active, book, said, slot_events};
use super::*;

fn at(local: &str) -> f64 {
    zoned(local).timestamp().as_second() as f64
}

async fn info(intent: &str) -> String {
    let action = ClinicInfo::new(clinic(), no_bookings());
    texts(&run(&action, &said(intent, &[], &[])).await).join("\n")
}

// --- action_handoff_human

async fn handoff_at(local: &str) -> ActionResult {
    let action = HandoffHuman::new(clinic(), no_bookings());
    match run_at(&action, &said("talk_to_human", &[], &[]), at(local)).await {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn handoff_within_hours_calls_the_team_and_pauses_the_bot() {
    let result = handoff_at("2026-12-01T10:00").await;
    assert!(
        texts(&result)[0].starts_with("Vou chamar alguém da nossa equipe"),
        "{:?}",
        texts(&result)
    );
    let kinds: Vec<_> = result.events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, vec![EventKind::Pause]);
}

#[tokio::test]
async fn handoff_outside_hours_says_when_the_team_answers() {
    for (local, back) in [
        // Saturday afternoon: the clinic closed at 13:00 and opens on Monday.
        (
            "2026-12-05T14:00",
            "nossa equipe volta a responder segunda às 09:00.",
        ),
        // Lunch break.
        (
            "2026-12-01T12:15",
            "nossa equipe volta a responder hoje às 13:00.",
        ),
        (
            "2026-12-01T19:00",
            "nossa equipe volta a responder amanhã às 09:00.",
        ),
        // Christmas Eve evening: Christmas is a holiday.
        (
            "2026-12-24T19:00",
            "nossa equipe volta a responder sábado às 09:00.",
        ),
    ] {
        let result = handoff_at(local).await;
        let text = texts(&result).join("\n");
        assert!(text.contains("fora do horário de atendimento"), "{text}");
        assert!(text.contains(back), "{local}: {text}");
        assert_eq!(result.events.len(), 1);
    }
}

// --- action_clinic_info

#[tokio::test]
async fn clinic_info_gives_the_hours_and_the_holidays_ahead() {
    // Christmas is within the 30-day horizon of 1 December; New Year's Day is not.
    assert_eq!(
        info("ask_hours").await,
        "🕘 *Horário de atendimento*\nSegunda a sexta: 09:00–12:00 e 13:00–18:00\n\
         Sábado: 09:00–13:00\nDomingo: fechado\nNão abrimos em: sexta 25/12 (Natal)."
    );
}

#[tokio::test]
async fn clinic_info_gives_the_address_and_the_payment_options() {
    assert_eq!(
        info("ask_location").await,
        "📍 *Clínica Teste*\nRua das Flores, 10 - Centro, Campinas - SP"
    );
    assert_eq!(
        info("ask_payment").await,
        "💳 *Formas de pagamento*\nAceitamos pix e cartão de crédito.\n\
         No pix você tem 5% de desconto.\n\
         No cartão de crédito, parcelamos em até 10x sem juros (parcela mínima de R$ 100,00)."
    );
    let all = info("greet").await;
    assert!(
        all.contains("Horário") && all.contains("Rua das Flores") && all.contains("pix"),
        "{all}"
    );
}

#[tokio::test]
async fn clinic_info_of_the_clinics_own_configuration_has_directions_and_phone() {
    let data = own_clinic();
    let action = ClinicInfo::new(data.clone(), no_bookings());
    let text = texts(&run(&action, &said("ask_location", &[], &[])).await).join("\n");
    for part in [
        &data.config.address,
        data.config.phone.as_ref().unwrap_or(&String::new()),
    ] {
        assert!(text.contains(part.as_str()), "{text}");
    }
    assert!(text.contains("Estacionamento"), "{text}");
}

// --- action_delete_my_data

#[tokio::test]
async fn delete_my_data_cancels_the_appointments_and_resets_the_slots() {
    let calendar = Arc::new(InMemoryCalendar::new());
    book(&calendar, "botox", "2026-12-04T15:00").await;
    // Inside the cancellation notice: an erasure cancels it all the same.
    book(&calendar, "botox", "2026-12-01T15:00").await;
    let tracker = said("affirm", &[("person_name", json!("Maria"))], &[]);
    let result = run(&DeleteMyData::new(clinic(), calendar.clone()), &tracker).await;
    assert_eq!(
        texts(&result),
        vec![
            "Pronto! Seus dados pessoais foram apagados. ✅\n\
             Também cancelei os seus 2 agendamentos futuros.\nSe precisar de algo, é só chamar."
        ]
    );
    let kinds: Vec<_> = result.events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, vec![EventKind::ResetSlots]);
    assert!(active(&calendar).await.is_empty());
}

// --- action_export_my_data

fn profile(consent: bool) -> Tracker {
    said(
        "export_my_data",
        &[
            ("person_name", json!("Maria Souza")),
            ("procedure", json!(["botox", "limpeza_de_pele"])),
            ("concern", json!("rugas")),
            ("health_consent", json!(consent)),
            ("conditions", json!(["gestante"])),
        ],
        &[],
    )
}

#[tokio::test]
async fn export_my_data_lists_what_the_bot_holds_about_the_patient() {
    let calendar = Arc::new(InMemoryCalendar::new());
    book(&calendar, "botox", "2026-12-04T15:00").await;
    let action = ExportMyData::new(clinic(), calendar);
    let result = run(&action, &profile(true)).await;
    assert_eq!(
        texts(&result),
        vec![format!(
            "*Dados que temos sobre você*\n• Telefone: {PATIENT}\n• Nome: Maria Souza\n\
             • Procedimentos de interesse: Toxina botulínica e Limpeza de pele\n\
             • Queixas: rugas\n• Consentimento para dados de saúde: sim\n\
             • Condições de saúde informadas: gestação\n\
             • Agendamentos:\n  – *Toxina botulínica* – sexta, 04/12 às 15:00\n\n\
             Se quiser que a gente apague tudo, é só pedir \"apagar meus dados\"."
        )]
    );
    assert!(slot_events(&result).is_empty());
}

#[tokio::test]
async fn export_my_data_shows_no_health_data_without_consent() {
    let action = ExportMyData::new(clinic(), no_bookings());
    let text = texts(&run(&action, &profile(false)).await).join("\n");
    assert!(
        !text.contains("saúde") && !text.contains("gestação"),
        "{text}"
    );
    assert!(text.contains("• Nome: Maria Souza"), "{text}");
}
