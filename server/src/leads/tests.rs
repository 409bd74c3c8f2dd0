//! Leads from turns, and the leads' tables on SQLite and, when reachable, PostgreSQL.

use crate::calendar::SqlCalendar;
use crate::leads::{LeadStage, LeadTag, Leads, Segment, TagKind, TurnFacts};
use crate::store::TrackerStore;
use crate::store::test_support::{postgres_store, postgres_url, unique_sender};
use bela_clinic::calendar::conformance::appointment;
use bela_clinic::calendar::{Calendar, Capacity};
use bela_engine::dialogue::events::{Event, now};
use bela_engine::names::SenderId;
use serde_json::{Value, json};

const DAY: f64 = 86_400.0;

fn event(value: Value) -> Event {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("test event: {e}"))
}

/// A user message at `at` on `channel` with `metadata`, naming `entities`
/// (`(entity, value)`).
fn said(at: f64, channel: &str, metadata: Value, entities: &[(&str, &str)]) -> Event {
    let entities: Vec<Value> = entities
        .iter()
        .map(|(entity, value)| json!({"entity": entity, "value": value, "start": 0, "end": 1}))
        .collect();
    event(json!({
        "event": "user", "timestamp": at, "text": "oi", "input_channel": channel,
        "parse_data": {
            "intent": {"name": "greet", "confidence": 0.9},
            "entities": entities,
            "metadata": metadata,
        },
    }))
}

fn ran(action: &str, at: f64) -> Event {
    event(json!({"event": "action", "timestamp": at, "name": action}))
}

fn bot(at: f64) -> Event {
    event(json!({"event": "bot", "timestamp": at, "text": "Olá!"}))
}

#[test]
fn a_turn_reads_contact_tags_and_stage() {
    let turn = [
        ran("action_session_start", 10.0),
        said(
            11.0,
            "whatsapp",
            json!({"wa_id": "5511999990000", "name": " Ana Lima "}),
            &[
                ("procedure", "botox"),
                ("concern", "rugas"),
                ("procedure", "botox"),
                ("body_area", "testa"),
            ],
        ),
        ran("action_quote", 12.0),
        bot(12.5),
    ];
    let facts = TurnFacts::of(&turn);
    let contact = facts.contact.as_ref().expect("the sender wrote");
    assert_eq!(contact.phone.as_deref(), Some("5511999990000"));
    assert_eq!(contact.name.as_deref(), Some("Ana Lima"));
    assert_eq!(contact.source.as_deref(), Some("whatsapp"));
    assert_eq!((contact.first_at, contact.last_at), (11.0, 11.0));
    assert_eq!(
        facts.tags,
        vec![
            (LeadTag::new("botox"), TagKind::Procedure),
            (LeadTag::new("rugas"), TagKind::Concern)
        ]
    );
    assert_eq!(facts.stage, Some(LeadStage::Quoted));
    assert!(!facts.booking_attempted);
    assert_eq!(facts.started_at, 10.0);

    let booking = TurnFacts::of(&[ran("action_book_appointment", 20.0)]);
    assert!(booking.booking_attempted && booking.contact.is_none());
    assert!(!booking.is_empty());
    assert!(TurnFacts::of(&[bot(1.0), ran("action_listen", 2.0)]).is_empty());
}

/// One sender's lead through its stages, and segments, on any backend.
async fn check_leads(store: TrackerStore) {
    let leads = Leads::new(store.clone());
    let calendar = SqlCalendar::new(store);
    let sender = unique_sender("lead");
    let interest = format!("botox-{}", sender.as_str());
    let record = |events: Vec<Event>| {
        let leads = leads.clone();
        let sender = sender.clone();
        async move { leads.after_turn(&sender, &events).await }
    };
    let t0 = now() - 3.0 * DAY;
    let whatsapp = json!({"wa_id": "5511988887777", "name": "Ana"});

    // A turn without a user message makes no lead.
    record(vec![ran("action_quote", t0)]).await;
    assert_eq!(leads.get(&sender).await.expect("get"), None);

    record(vec![said(
        t0,
        "whatsapp",
        whatsapp,
        &[("procedure", &interest)],
    )])
    .await;
    let lead = leads.get(&sender).await.expect("get").expect("created");
    assert_eq!(lead.stage, LeadStage::New);
    assert_eq!(lead.phone.as_deref(), Some("5511988887777"));
    assert_eq!(lead.name.as_deref(), Some("Ana"));
    assert_eq!(lead.source.as_deref(), Some("whatsapp"));
    assert_eq!(lead.tags, vec![LeadTag::new(interest.as_str())]);
    assert_eq!((lead.first_contact, lead.last_contact), (t0, t0));

    // Writing again engages; the first channel and the known name stay.
    let t1 = t0 + DAY;
    record(vec![said(t1, "rest", json!({}), &[("concern", "rugas")])]).await;
    let lead = leads.get(&sender).await.expect("get").expect("lead");
    assert_eq!(lead.stage, LeadStage::Engaged);
    assert_eq!(lead.source.as_deref(), Some("whatsapp"));
    assert_eq!(lead.name.as_deref(), Some("Ana"));
    assert_eq!((lead.first_contact, lead.last_contact), (t0, t1));
    let mut tags = vec![LeadTag::new(interest.as_str()), LeadTag::new("rugas")];
    tags.sort();
    assert_eq!(lead.tags, tags);

    // A quote, then a booking attempt that stored nothing, then one that did.
    record(vec![
        said(t1 + 1.0, "rest", json!({}), &[]),
        ran("action_quote", t1 + 2.0),
    ])
    .await;
    let stage = async || leads.get(&sender).await.expect("get").expect("lead").stage;
    assert_eq!(stage().await, LeadStage::Quoted);
    record(vec![said(t1 + 3.0, "rest", json!({}), &[])]).await;
    assert_eq!(stage().await, LeadStage::Quoted, "stages only move forward");
    let turn_start = now();
    record(vec![ran("action_book_appointment", turn_start)]).await;
    assert_eq!(
        stage().await,
        LeadStage::Quoted,
        "no appointment was stored"
    );
    let new = appointment(sender.as_str(), "2099-07-01T10:00", "2099-07-01T10:30");
    // Rooms enough for every run sharing the PostgreSQL database.
    let capacity = Capacity {
        rooms: 100_000,
        buffer_minutes: 0,
    };
    let turn_start = now();
    calendar.book(new, capacity).await.expect("books");
    record(vec![ran("action_book_appointment", turn_start)]).await;
    assert_eq!(stage().await, LeadStage::Booked);

    // Staff move it anywhere; writing again reactivates an inactive lead.
    let inactive = leads
        .set_stage(&sender, LeadStage::Inactive)
        .await
        .expect("set");
    assert_eq!(inactive.map(|l| l.stage), Some(LeadStage::Inactive));
    record(vec![ran("action_quote", t1 + 5.0)]).await;
    assert_eq!(
        stage().await,
        LeadStage::Inactive,
        "no message, no reactivation"
    );
    record(vec![said(t1 + 6.0, "rest", json!({}), &[])]).await;
    assert_eq!(stage().await, LeadStage::Engaged);
    let unknown = SenderId::new(format!("{}-nobody", sender.as_str()));
    assert_eq!(
        leads
            .set_stage(&unknown, LeadStage::New)
            .await
            .expect("set"),
        None
    );

    // Segments: by tag, stage and last contact (another lead, quiet for 40 days).
    let quiet = SenderId::new(format!("{}-quiet", sender.as_str()));
    let long_ago = now() - 40.0 * DAY;
    leads
        .after_turn(
            &quiet,
            &[said(
                long_ago,
                "whatsapp",
                json!({}),
                &[("procedure", &interest)],
            )],
        )
        .await;
    let segment = |stage, inactive_days| Segment {
        tag: Some(LeadTag::new(interest.as_str())),
        stage,
        inactive_days,
        ..Segment::default()
    };
    let senders = async |segment: Segment| -> Vec<String> {
        let found = leads.segment(&segment, now()).await.expect("segment");
        found.into_iter().map(|l| l.sender).collect()
    };
    let both = senders(segment(None, None)).await;
    assert_eq!(
        both,
        vec![sender.as_str().to_owned(), quiet.as_str().to_owned()]
    );
    assert_eq!(senders(segment(None, Some(30))).await, vec![quiet.as_str()]);
    assert_eq!(
        senders(segment(Some(LeadStage::Engaged), None)).await,
        vec![sender.as_str()]
    );
    assert!(
        senders(segment(Some(LeadStage::Engaged), Some(30)))
            .await
            .is_empty()
    );
    let first = Segment {
        limit: 1,
        ..segment(None, None)
    };
    assert_eq!(senders(first).await, vec![sender.as_str()]);
}

#[tokio::test]
async fn sqlite_leads_follow_turns_and_segment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let store = TrackerStore::connect(&url).await.expect("SQLite opens");
    check_leads(store).await;
}

#[tokio::test]
async fn postgres_leads_follow_turns_and_segment() {
    if postgres_store().await.is_none() {
        return;
    }
    let url = postgres_url();
    let store = TrackerStore::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {url}: {e}"));
    check_leads(store).await;
}
