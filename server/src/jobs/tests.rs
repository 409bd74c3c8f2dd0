//! The scheduler over the clinic's real domain, rules and actions, on SQLite files and the
//! test PostgreSQL: reminders once, stale ones never, restarts, follow-ups, campaigns.

use crate::calendar::SqlCalendar;
use crate::conversations::Conversations;
use crate::jobs::{Campaign, CampaignMessage, JobSettings, Scheduler, schedule_campaign};
use crate::leads::{LeadStage, LeadTag, Segment};
use crate::store::test_support::{postgres_store, postgres_url, unique_sender};
use crate::store::{ConversationLocks, TrackerStore};
use bela_clinic::ClinicData;
use bela_clinic::calendar::{Appointment, AppointmentStatus, Calendar, Capacity, NewAppointment};
use bela_clinic::ids::ProcedureId;
use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::domain::Domain;
use bela_engine::dialogue::events::{EventKind, ParseData};
use bela_engine::dialogue::model::{DialogueModel, PolicySettings};
use bela_engine::dialogue::processor::{Interpreter, Processor, UserMessage};
use bela_engine::dialogue::stories;
use bela_engine::names::SenderId;
use jiff::{SignedDuration, Zoned};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;

/// Payloads only (`/confirm_appointment`): the processor parses them itself.
struct NoNlu;

impl Interpreter for NoNlu {
    fn parse(&self, _: &UserMessage) -> ParseData {
        ParseData::default()
    }
}

fn model() -> Arc<DialogueModel> {
    static MODEL: OnceLock<Arc<DialogueModel>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let loaded =
                Domain::parse(include_str!("../../../domain.yml"), Path::new("domain.yml"));
            assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
            let (rules, diagnostics) = stories::reader::parse(
                include_str!("../../../training-data/rules.yml"),
                Path::new("rules.yml"),
            );
            assert!(diagnostics.is_empty(), "{diagnostics:?}");
            Arc::new(DialogueModel::train(
                loaded.domain,
                Vec::new(),
                &rules,
                PolicySettings::default(),
                "jobs-test".into(),
            ))
        })
        .clone()
}

fn clinic() -> Arc<ClinicData> {
    let data = ClinicData::parse(
        include_str!("../../../clinic.yml"),
        Path::new("clinic.yml"),
        include_str!("../../../catalogue.yml"),
        Path::new("catalogue.yml"),
    );
    Arc::new(data.unwrap_or_else(|d| panic!("the clinic's files load: {d:#?}")))
}

/// One server process: conversations with the clinic's actions over `store`.
fn process(store: TrackerStore) -> Arc<Conversations> {
    let mut registry = ActionRegistry::new();
    let calendar = Arc::new(SqlCalendar::new(store.clone()));
    bela_clinic::actions::register(&mut registry, clinic(), calendar);
    let processor = Processor::new(model(), registry, Arc::new(NoNlu));
    Arc::new(Conversations::new(
        processor,
        PathBuf::from("models/core-test"),
        store,
        ConversationLocks::in_process(),
    ))
}

fn settings() -> JobSettings {
    settings_reminding(24)
}

/// Settings sending reminders `hours` before an appointment.
fn settings_reminding(hours: u32) -> JobSettings {
    JobSettings {
        reminder_hours: Some(hours),
        follow_up_days: vec![1, 15],
        ..JobSettings::default()
    }
}

fn scheduler(conversations: &Arc<Conversations>) -> Scheduler {
    Scheduler::new(conversations.clone(), settings())
}

/// A store of events on the test PostgreSQL, or `None` when it is unreachable.
async fn postgres() -> Option<TrackerStore> {
    postgres_store().await?;
    Some(
        TrackerStore::connect(&postgres_url())
            .await
            .expect("PostgreSQL store"),
    )
}

async fn sqlite_file(dir: &tempfile::TempDir) -> TrackerStore {
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    TrackerStore::connect(&url).await.expect("SQLite store")
}

/// The patient wrote once (a lead, a conversation on the REST channel).
async fn patient_writes(conversations: &Conversations, sender: &SenderId, text: &str, at: f64) {
    let mut session = conversations.open(sender).await.expect("opens");
    let message = UserMessage {
        text: text.into(),
        input_channel: Some("rest".into()),
        timestamp: at,
        ..UserMessage::default()
    };
    conversations
        .processor()
        .handle_message(&mut session.tracker, message)
        .await;
    session.save().await.expect("saves");
}

/// Books botox for `sender` starting at `start`.
/// A patient who wrote ten days before their appointment at `start`, on a SQLite file.
struct Booked {
    /// Keeps the file's directory alive.
    _dir: tempfile::TempDir,
    store: TrackerStore,
    conversations: Arc<Conversations>,
    sender: SenderId,
    start: Zoned,
    appointment: Appointment,
}

/// [`Booked`]: a new SQLite file, a patient `label`-... greeting ten days ahead, and their
/// appointment at `start` (a zoned instant).
async fn booked_patient(label: &str, start: &str) -> Booked {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = sqlite_file(&dir).await;
    let conversations = process(store.clone());
    let sender = unique_sender(label);
    let start: Zoned = start.parse().expect("valid");
    patient_writes(
        &conversations,
        &sender,
        "/greet",
        seconds(&start) - 10.0 * DAY,
    )
    .await;
    let appointment = book(&store, &sender, &start).await;
    Booked {
        _dir: dir,
        store,
        conversations,
        sender,
        start,
        appointment,
    }
}

async fn book(store: &TrackerStore, sender: &SenderId, start: &Zoned) -> Appointment {
    let calendar = SqlCalendar::new(store.clone());
    let new = NewAppointment {
        patient: sender.as_str().into(),
        patient_name: "Maria Souza".into(),
        procedure: ProcedureId::new("botox"),
        start: start.clone(),
        end: start
            .checked_add(SignedDuration::from_mins(30))
            .expect("end"),
    };
    let capacity = Capacity {
        rooms: 1000,
        buffer_minutes: 0,
    };
    calendar.book(new, capacity).await.expect("booked")
}

fn seconds(at: &Zoned) -> f64 {
    at.timestamp().as_second() as f64
}

/// The bot texts of `sender`'s stored conversation.
async fn bot_texts(conversations: &Conversations, sender: &SenderId) -> Vec<String> {
    let events = conversations.store().load(sender).await.expect("loads");
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Bot(bot) => bot.text.clone(),
            _ => None,
        })
        .collect()
}

fn reminders(texts: &[String]) -> usize {
    texts
        .iter()
        .filter(|t| t.contains("Passando para lembrar"))
        .count()
}

/// A start in the far future, on a day no other test run picks (shared PostgreSQL).
fn random_start() -> Zoned {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let day = i64::from(nanos % 20_000);
    let base: Zoned = "2040-01-02T10:00:00-03:00[America/Sao_Paulo]"
        .parse()
        .expect("valid");
    base.checked_add(SignedDuration::from_hours(24 * day))
        .expect("in range")
}

async fn reminder_is_sent_once(one: TrackerStore, two: TrackerStore, start: Zoned) {
    let (a, b) = (process(one.clone()), process(two));
    let sender = unique_sender("reminder");
    patient_writes(&a, &sender, "/greet", seconds(&start) - 10.0 * DAY).await;
    let appointment = book(&one, &sender, &start).await;
    let due = seconds(&start) - 24.0 * HOUR;

    let early = scheduler(&a)
        .run_due_jobs(due - 2.0 * HOUR)
        .await
        .expect("runs");
    assert!(
        early.scheduled >= 1,
        "the reminder job exists ahead: {early:?}"
    );
    assert_eq!(reminders(&bot_texts(&a, &sender).await), 0, "not due yet");

    let (sa, sb) = (scheduler(&a), scheduler(&b));
    let (ra, rb) = tokio::join!(sa.run_due_jobs(due + 60.0), sb.run_due_jobs(due + 60.0));
    ra.expect("process one runs");
    rb.expect("process two runs");
    scheduler(&b)
        .run_due_jobs(due + 120.0)
        .await
        .expect("runs again");

    let texts = bot_texts(&a, &sender).await;
    assert_eq!(reminders(&texts), 1, "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Toxina") || t.contains("otox")),
        "{texts:?}"
    );
    let jobs = sa.jobs().of_sender(sender.as_str()).await.expect("jobs");
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!(jobs[0].status, "sent");
    assert_eq!(jobs[0].attempts, 1);

    // "Confirmar" confirms it; the reminder's buttons are the domain's intents.
    patient_writes(&b, &sender, "/confirm_appointment", due + 200.0).await;
    let calendar = SqlCalendar::new(one);
    let upcoming = calendar
        .upcoming(
            sender.as_str(),
            start.timestamp() - SignedDuration::from_hours(48),
        )
        .await
        .expect("upcoming");
    assert_eq!(upcoming[0].id, appointment.id);
    assert_eq!(upcoming[0].status, AppointmentStatus::Confirmed);
}

#[tokio::test]
async fn a_reminder_is_sent_once_by_two_processes_on_one_sqlite_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = sqlite_file(&dir).await;
    let two = sqlite_file(&dir).await;
    let start = "2031-03-04T10:00:00-03:00[America/Sao_Paulo]"
        .parse()
        .expect("valid");
    reminder_is_sent_once(one, two, start).await;
}

#[tokio::test]
async fn a_reminder_is_sent_once_by_two_processes_on_postgres() {
    let (Some(one), Some(two)) = (postgres().await, postgres().await) else {
        return;
    };
    reminder_is_sent_once(one, two, random_start()).await;
}

#[tokio::test]
async fn a_cancelled_or_moved_appointment_gets_no_stale_reminder() {
    let Booked {
        _dir,
        store,
        conversations,
        sender,
        start,
        appointment,
        ..
    } = booked_patient("cancelled", "2031-05-06T15:00:00-03:00[America/Sao_Paulo]").await;
    let due = seconds(&start) - 24.0 * HOUR;
    let scheduler = scheduler(&conversations);
    scheduler
        .run_due_jobs(due - HOUR)
        .await
        .expect("creates the job");

    SqlCalendar::new(store)
        .set_status(
            sender.as_str(),
            &appointment.id,
            AppointmentStatus::Cancelled,
        )
        .await
        .expect("cancelled");
    let report = scheduler.run_due_jobs(due + 60.0).await.expect("runs");
    assert_eq!(report.skipped, 1, "{report:?}");
    assert_eq!(reminders(&bot_texts(&conversations, &sender).await), 0);
    let jobs = scheduler
        .jobs()
        .of_sender(sender.as_str())
        .await
        .expect("jobs");
    assert_eq!(jobs[0].status, "skipped");
}

#[tokio::test]
async fn a_deny_to_the_reminder_offers_rescheduling() {
    let Booked {
        _dir,
        conversations,
        sender,
        start,
        ..
    } = booked_patient("deny", "2031-06-10T11:00:00-03:00[America/Sao_Paulo]").await;
    // Two days ahead: a reminder inside the 24-hour cancellation notice could only send
    // the patient to the team, as rescheduling is no longer allowed then.
    let due = seconds(&start) - 48.0 * HOUR;
    Scheduler::new(conversations.clone(), settings_reminding(48))
        .run_due_jobs(due)
        .await
        .expect("runs");
    patient_writes(&conversations, &sender, "/deny", due + 60.0).await;
    let tracker = conversations.load(&sender).await.expect("loads");
    assert_eq!(
        tracker.active_loop_name().map(|n| n.as_str()),
        Some("reschedule_form"),
        "{:?}",
        bot_texts(&conversations, &sender).await
    );
}

#[tokio::test]
async fn pending_jobs_are_sent_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sender = unique_sender("restart");
    let start: Zoned = "2031-07-01T09:00:00-03:00[America/Sao_Paulo]"
        .parse()
        .expect("valid");
    let due = seconds(&start) - 24.0 * HOUR;
    {
        let store = sqlite_file(&dir).await;
        let before = process(store.clone());
        patient_writes(&before, &sender, "/greet", seconds(&start) - 10.0 * DAY).await;
        book(&store, &sender, &start).await;
        scheduler(&before)
            .run_due_jobs(due - HOUR)
            .await
            .expect("creates the job");
        assert_eq!(reminders(&bot_texts(&before, &sender).await), 0);
    }
    let after = process(sqlite_file(&dir).await);
    let pending = scheduler(&after)
        .jobs()
        .of_sender(sender.as_str())
        .await
        .expect("jobs");
    assert_eq!(pending[0].status, "pending");
    scheduler(&after)
        .run_due_jobs(due + 1.0)
        .await
        .expect("runs");
    assert_eq!(reminders(&bot_texts(&after, &sender).await), 1);
}

#[tokio::test]
async fn a_follow_up_after_attendance_stores_the_satisfaction_answer() {
    let Booked {
        _dir,
        store,
        conversations,
        sender,
        start,
        appointment,
        ..
    } = booked_patient("follow-up", "2031-08-05T10:00:00-03:00[America/Sao_Paulo]").await;
    SqlCalendar::new(store)
        .set_status(
            sender.as_str(),
            &appointment.id,
            AppointmentStatus::Attended,
        )
        .await
        .expect("attended");
    let end = seconds(&start) + 30.0 * 60.0;
    let scheduler = scheduler(&conversations);
    scheduler
        .run_due_jobs(end + DAY + 60.0)
        .await
        .expect("runs");
    let texts = bot_texts(&conversations, &sender).await;
    assert!(
        texts.iter().any(|t| t.contains("Como você está")),
        "{texts:?}"
    );

    patient_writes(
        &conversations,
        &sender,
        "/feedback{\"satisfaction\": \"5\"}",
        end + DAY + 120.0,
    )
    .await;
    let id: i64 = appointment.id.as_str().parse().expect("numeric id");
    let stored = conversations
        .leads()
        .satisfaction_of(id)
        .await
        .expect("reads");
    assert_eq!(stored.map(|(score, _)| score), Some(5));
    let lead = conversations
        .leads()
        .get(&sender)
        .await
        .expect("reads")
        .expect("a lead");
    assert!(lead.tags.contains(&LeadTag::new("satisfeito")), "{lead:?}");
    // The 15-day follow-up is a job of its own, not due yet.
    let jobs = scheduler
        .jobs()
        .of_sender(sender.as_str())
        .await
        .expect("jobs");
    assert_eq!(jobs.len(), 1, "only the due one is created: {jobs:?}");
}

async fn campaign_reaches_each_lead_once(store: TrackerStore) {
    let conversations = process(store);
    let (ana, bia) = (unique_sender("campaign-ana"), unique_sender("campaign-bia"));
    // A tag no other test uses, so the segment is exactly these two leads.
    let tag = format!("campanha_{}", ana.as_str().len() + bia.as_str().len());
    let tag = format!("{tag}_{}", unique_sender("tag").as_str());
    let long_ago = 1_700_000_000.0;
    for sender in [&ana, &bia] {
        let mut session = conversations.open(sender).await.expect("opens");
        let message = UserMessage {
            text: "/ask_price".into(),
            input_channel: Some("rest".into()),
            parse_data: Some(ParseData {
                entities: vec![
                    serde_json::from_value(
                        serde_json::json!({"entity": "procedure", "value": tag}),
                    )
                    .expect("entity"),
                ],
                ..conversations.processor().parse(&UserMessage {
                    text: "/ask_price".into(),
                    ..UserMessage::default()
                })
            }),
            timestamp: long_ago,
            ..UserMessage::default()
        };
        conversations
            .processor()
            .handle_message(&mut session.tracker, message)
            .await;
        session.save().await.expect("saves");
    }
    let campaign = Campaign {
        id: "volta-verao".into(),
        segment: Segment {
            tag: Some(LeadTag::new(tag.as_str())),
            inactive_days: Some(30),
            ..Segment::default()
        },
        message: CampaignMessage::Response("utter_reactivation".into()),
    };
    let jobs = scheduler(&conversations);
    let now = long_ago + 90.0 * DAY;
    let first = schedule_campaign(jobs.jobs(), conversations.leads(), &campaign, now)
        .await
        .expect("scheduled");
    assert_eq!((first.leads, first.scheduled), (2, 2));
    let again = schedule_campaign(jobs.jobs(), conversations.leads(), &campaign, now)
        .await
        .expect("scheduled");
    assert_eq!(
        (again.leads, again.scheduled),
        (2, 0),
        "once per lead per campaign"
    );
    jobs.run_due_jobs(now + 1.0).await.expect("runs");
    jobs.run_due_jobs(now + 2.0).await.expect("runs again");
    for sender in [&ana, &bia] {
        let texts = bot_texts(&conversations, sender).await;
        let sent = texts
            .iter()
            .filter(|t| t.contains("Faz um tempinho"))
            .count();
        assert_eq!(sent, 1, "{texts:?}");
        let lead = conversations
            .leads()
            .get(sender)
            .await
            .expect("reads")
            .expect("lead");
        assert_eq!(lead.stage, LeadStage::Inactive);
    }
}

#[tokio::test]
async fn a_reactivation_campaign_reaches_each_lead_once_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    campaign_reaches_each_lead_once(sqlite_file(&dir).await).await;
}

#[tokio::test]
async fn a_reactivation_campaign_reaches_each_lead_once_on_postgres() {
    let Some(store) = postgres().await else {
        return;
    };
    campaign_reaches_each_lead_once(store).await;
}
