//! The clinic's own bot (the repository's domain.yml, rules and clinic files) holding
//! whole booking conversations through the dialogue engine with the clinic's actions
//! and an in-memory calendar. Messages are payloads (`/intent{...}`), which the
//! processor reads itself, so the test exercises the dialogue, not the NLU model.

use bela_clinic::ClinicData;
use bela_clinic::actions::register;
use bela_clinic::calendar::{Calendar, InMemoryCalendar};
use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::events::{BotUttered, ParseData};
use bela_engine::dialogue::model::PolicySettings;
use bela_engine::dialogue::processor::{Interpreter, Processor, UserMessage};
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::SenderId;
use bela_engine::project::Project;
use jiff::Timestamp;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

/// Understands nothing but payloads (which the processor parses before asking it).
struct PayloadsOnly;

impl Interpreter for PayloadsOnly {
    fn parse(&self, message: &UserMessage) -> ParseData {
        ParseData {
            text: Some(message.text.clone()),
            ..ParseData::default()
        }
    }
}

/// Tuesday 2026-12-01, 10:00 in São Paulo.
fn now() -> f64 {
    let at: Timestamp = "2026-12-01T13:00:00Z".parse().expect("instant");
    at.as_second() as f64
}

struct Clinic {
    processor: Processor,
    calendar: Arc<InMemoryCalendar>,
}

fn clinic() -> Clinic {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let project = Project::open(root.clone()).expect("the repository is a project");
    let (model, _) = project
        .dialogue_model(PolicySettings::default(), "test".into())
        .expect("the clinic's dialogue trains");
    let data = ClinicData::load(&root).expect("the clinic's files are valid");
    let calendar = Arc::new(InMemoryCalendar::new());
    let mut registry = ActionRegistry::new();
    register(&mut registry, Arc::new(data), calendar.clone());
    Clinic {
        processor: Processor::new(Arc::new(model), registry, Arc::new(PayloadsOnly)),
        calendar,
    }
}

impl Clinic {
    fn patient(&self, phone: &str) -> Tracker {
        self.processor.model().new_tracker(SenderId::new(phone))
    }

    /// Sends `text` from the patient (whose WhatsApp profile name is Ana Lima).
    async fn say(&self, tracker: &mut Tracker, text: &str) -> Vec<BotUttered> {
        let message = UserMessage {
            text: text.into(),
            timestamp: now(),
            metadata: Some(json!({"name": "Ana Lima"})),
            ..UserMessage::default()
        };
        self.processor.handle_message(tracker, message).await
    }

    async fn booked(&self) -> usize {
        let from: Timestamp = "2026-12-01T00:00:00Z".parse().expect("instant");
        let to: Timestamp = "2027-02-01T00:00:00Z".parse().expect("instant");
        self.calendar
            .bookings(from, to)
            .await
            .expect("calendar")
            .len()
    }
}

fn text(said: &[BotUttered]) -> String {
    said.iter()
        .filter_map(|b| b.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

fn payloads(said: &[BotUttered]) -> Vec<String> {
    said.iter()
        .flat_map(|b| &b.data.buttons)
        .map(|b| b.payload.clone())
        .collect()
}

#[tokio::test]
async fn a_patient_books_botox_after_consent_and_screening() {
    let clinic = clinic();
    let mut ana = clinic.patient("5511999990001");
    let said = clinic
        .say(&mut ana, r#"/book_appointment{"procedure": "botox"}"#)
        .await;
    assert!(
        text(&said).contains("LGPD"),
        "consent first: {}",
        text(&said)
    );
    let said = clinic.say(&mut ana, "/affirm").await;
    assert!(text(&said).contains("grávida"), "{}", text(&said));
    let said = clinic.say(&mut ana, "/deny").await;
    let offered = payloads(&said);
    assert_eq!(
        offered.len(),
        3,
        "three free slots offered: {}",
        text(&said)
    );
    assert!(
        offered[0].starts_with("/inform{\"time\": \"2026-12-01T"),
        "{offered:?}"
    );
    // The name comes from the WhatsApp profile: the summary follows the chosen slot.
    let said = clinic.say(&mut ana, &offered[0]).await;
    let summary = text(&said);
    assert!(summary.contains("Confira o agendamento"), "{summary}");
    assert!(summary.contains("Ana Lima"), "{summary}");
    assert_eq!(
        clinic.booked().await,
        0,
        "nothing is stored before the confirmation"
    );
    let said = clinic.say(&mut ana, "/affirm").await;
    assert!(
        text(&said).starts_with("Prontinho, Ana Lima!"),
        "{}",
        text(&said)
    );
    assert_eq!(clinic.booked().await, 1);
    let mine = clinic
        .calendar
        .upcoming("5511999990001", Timestamp::UNIX_EPOCH)
        .await
        .expect("calendar");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].procedure.as_str(), "botox");
    assert_eq!(mine[0].patient_name, "Ana Lima");
}

#[tokio::test]
async fn a_named_free_time_is_taken_and_a_busy_wish_gets_offers() {
    let clinic = clinic();
    let mut bia = clinic.patient("5511999990002");
    // Limpeza de pele has contraindications too: consent and screening come first.
    clinic
        .say(
            &mut bia,
            r#"/book_appointment{"procedure": "limpeza_de_pele", "time": "2026-12-03T15:00:00.000-03:00"}"#,
        )
        .await;
    clinic.say(&mut bia, "/affirm").await;
    let said = clinic.say(&mut bia, "/deny").await;
    let summary = text(&said);
    assert!(
        summary.contains("qui, 03/12 às 15:00"),
        "the time asked was free: {summary}"
    );

    // Sunday is closed: the wish is kept and the nearest free slots are offered.
    let mut caio = clinic.patient("5511999990003");
    clinic
        .say(
            &mut caio,
            r#"/book_appointment{"procedure": "depilacao_laser", "time": "2026-12-06T10:00:00.000-03:00"}"#,
        )
        .await;
    clinic.say(&mut caio, "/affirm").await;
    let said = clinic.say(&mut caio, "/deny").await;
    assert_eq!(payloads(&said).len(), 3, "{}", text(&said));
    assert!(text(&said).contains("os mais próximos"), "{}", text(&said));
}

#[tokio::test]
async fn a_contraindicated_procedure_is_not_booked_and_an_evaluation_is_offered() {
    let clinic = clinic();
    let mut dani = clinic.patient("5511999990004");
    clinic
        .say(&mut dani, r#"/book_appointment{"procedure": "botox"}"#)
        .await;
    clinic.say(&mut dani, "/affirm").await;
    let said = clinic
        .say(&mut dani, r#"/inform{"condition": "gestante"}"#)
        .await;
    let offer = text(&said);
    assert!(offer.contains("não é indicado"), "{offer}");
    assert!(offer.contains("gestação"), "{offer}");
    assert!(offer.contains("Avaliação"), "{offer}");
    // Yes: the booking form comes back for the evaluation and asks for a time.
    let said = clinic.say(&mut dani, "/affirm").await;
    let offered = payloads(&said);
    assert_eq!(offered.len(), 3, "{}", text(&said));
    let said = clinic.say(&mut dani, &offered[0]).await;
    assert!(text(&said).contains("Avaliação"), "{}", text(&said));
    clinic.say(&mut dani, "/affirm").await;
    let mine = clinic
        .calendar
        .upcoming("5511999990004", Timestamp::UNIX_EPOCH)
        .await
        .expect("calendar");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].procedure.as_str(), "avaliacao");
}

#[tokio::test]
async fn without_consent_no_health_data_is_kept_and_nothing_is_booked() {
    let clinic = clinic();
    let mut eva = clinic.patient("5511999990005");
    clinic
        .say(&mut eva, r#"/book_appointment{"procedure": "botox"}"#)
        .await;
    let said = clinic.say(&mut eva, "/deny").await;
    assert!(
        text(&said).contains("Sem o seu consentimento"),
        "{}",
        text(&said)
    );
    assert_eq!(eva.slot("conditions"), None);
    assert_eq!(eva.slot("health_consent"), Some(&json!(false)));
    assert_eq!(clinic.booked().await, 0);
}

#[tokio::test]
async fn a_slot_taken_before_the_confirmation_offers_the_next_ones() {
    let clinic = clinic();
    let (mut first, mut second) = (
        clinic.patient("5511999990006"),
        clinic.patient("5511999990007"),
    );
    // The clinic has three rooms: two other patients take two of them meanwhile.
    let book =
        r#"/book_appointment{"procedure": "avaliacao", "time": "2026-12-02T10:00:00.000-03:00"}"#;
    for tracker in [&mut first, &mut second] {
        let said = clinic.say(tracker, book).await;
        assert!(
            text(&said).contains("qua, 02/12 às 10:00"),
            "{}",
            text(&said)
        );
    }
    for phone in ["5511999990008", "5511999990009"] {
        let mut other = clinic.patient(phone);
        clinic.say(&mut other, book).await;
        clinic.say(&mut other, "/affirm").await;
    }
    assert_eq!(clinic.booked().await, 2);
    let said = clinic.say(&mut first, "/affirm").await;
    assert!(text(&said).starts_with("Prontinho"), "{}", text(&said));
    // The third room is gone now: the second patient's confirmation finds it full.
    let said = clinic.say(&mut second, "/affirm").await;
    assert!(
        text(&said).contains("acabou de ser preenchido"),
        "{}",
        text(&said)
    );
    assert_eq!(
        payloads(&said).len(),
        3,
        "the next free slots: {}",
        text(&said)
    );
    assert_eq!(clinic.booked().await, 3);
}

/// Books botox for `phone` on `day` at `hm` straight in the calendar.
async fn booked_for(clinic: &Clinic, phone: &str, day: &str, hm: &str) {
    use bela_clinic::calendar::{Capacity, NewAppointment};
    let at = |t: &str| {
        format!("{day}T{t}:00[America/Sao_Paulo]")
            .parse::<jiff::Zoned>()
            .expect("instant")
    };
    let end = format!("{}:30", &hm[..2]);
    let new = NewAppointment {
        patient: phone.into(),
        patient_name: "Fabi".into(),
        procedure: "botox".into(),
        start: at(hm),
        end: at(&end),
    };
    let capacity = Capacity {
        rooms: 3,
        buffer_minutes: 15,
    };
    clinic.calendar.book(new, capacity).await.expect("booked");
}

#[tokio::test]
async fn a_patient_reschedules_then_cancels_their_only_appointment() {
    let clinic = clinic();
    let phone = "5511999990010";
    booked_for(&clinic, phone, "2026-12-10", "10:00").await;
    let mut fabi = clinic.patient(phone);
    // The only appointment is chosen without asking; the new time is offered.
    let said = clinic.say(&mut fabi, "/reschedule_appointment").await;
    let offered = payloads(&said);
    assert_eq!(offered.len(), 3, "{}", text(&said));
    // Instead of an offered slot, the patient names another free time.
    let said = clinic
        .say(
            &mut fabi,
            r#"/inform{"time": "2026-12-15T10:00:00.000-03:00"}"#,
        )
        .await;
    assert!(
        text(&said).starts_with("Pronto, remarquei!"),
        "{}",
        text(&said)
    );
    let mine = clinic
        .calendar
        .upcoming(phone, Timestamp::UNIX_EPOCH)
        .await
        .expect("calendar");
    assert_eq!(mine.len(), 1);
    let moved_to: Timestamp = "2026-12-15T13:00:00Z".parse().expect("instant");
    assert_eq!(mine[0].start.timestamp(), moved_to);

    let said = clinic.say(&mut fabi, "/cancel_appointment").await;
    assert!(text(&said).contains("cancelei"), "{}", text(&said));
    assert!(
        clinic
            .calendar
            .upcoming(phone, Timestamp::UNIX_EPOCH)
            .await
            .expect("calendar")
            .is_empty()
    );
    let said = clinic.say(&mut fabi, "/my_appointments").await;
    assert!(text(&said).contains("Não encontrei"), "{}", text(&said));
}

#[tokio::test]
async fn an_appointment_within_the_notice_is_neither_moved_nor_offered_new_times() {
    let clinic = clinic();
    let phone = "5511999990011";
    booked_for(&clinic, phone, "2026-12-01", "15:00").await;
    let mut gabi = clinic.patient(phone);
    let said = clinic.say(&mut gabi, "/reschedule_appointment").await;
    assert!(
        text(&said).contains("24 horas de antecedência"),
        "{}",
        text(&said)
    );
    assert!(
        payloads(&said).iter().all(|p| !p.starts_with("/inform")),
        "no slots offered"
    );
    assert!(gabi.active_loop().is_none());
    let mine = clinic
        .calendar
        .upcoming(phone, Timestamp::UNIX_EPOCH)
        .await
        .expect("calendar");
    assert_eq!(
        mine[0].start.timestamp(),
        "2026-12-01T18:00:00Z"
            .parse::<Timestamp>()
            .expect("instant")
    );
}

#[tokio::test]
async fn a_voucher_given_before_booking_is_redeemed_once_with_the_appointment() {
    let clinic = clinic();
    let mut hana = clinic.patient("5511999990012");
    clinic
        .say(
            &mut hana,
            r#"/book_appointment{"procedure": "botox", "voucher": "bemvinda10", "time": "2026-12-03T15:00:00.000-03:00"}"#,
        )
        .await;
    clinic.say(&mut hana, "/affirm").await;
    clinic.say(&mut hana, "/deny").await;
    let said = clinic.say(&mut hana, "/affirm").await;
    assert!(
        text(&said).contains("Cupom BEMVINDA10 aplicado"),
        "{}",
        text(&said)
    );
    assert_eq!(clinic.calendar.voucher_uses("BEMVINDA10").await, Ok(1));
    assert_eq!(hana.slot("voucher"), None, "used once, then forgotten");
}
