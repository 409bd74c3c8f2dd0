use super::*;
use crate::calendar::SqlCalendar;
use crate::leads::{Leads, TurnFacts};
use crate::store::test_support::{postgres_store, unique_sender};
use bela_clinic::calendar::conformance::appointment;
use bela_clinic::calendar::{Calendar, Capacity};
use bela_engine::dialogue::events::now;
use jiff::Timestamp;
use serde_json::json;

fn event(value: serde_json::Value) -> Event {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("test event: {e}"))
}

/// A turn of `sender` telling their name and interest.
fn turn(at: f64) -> Vec<Event> {
    vec![
        event(
            json!({"event": "user", "timestamp": at, "text": "oi, sou a Ana",
            "input_channel": "whatsapp",
            "parse_data": {"intent": {"name": "greet", "confidence": 0.9},
                "entities": [{"entity": "procedure", "value": "botox", "start": 0, "end": 1}],
                "metadata": {"wa_id": "5511999990000", "name": "Ana Lima"}}}),
        ),
        event(json!({"event": "bot", "timestamp": at + 1.0, "text": "Olá, Ana!"})),
    ]
}

#[test]
fn only_the_deletion_action_asks_for_erasure() {
    let ran = |name: &str| event(json!({"event": "action", "timestamp": 1.0, "name": name}));
    assert!(asks_erasure(&[ran("action_listen"), ran(DELETE_MY_DATA)]));
    assert!(!asks_erasure(&[ran("action_export_my_data")]));
    assert!(!asks_erasure(&turn(1.0)));
}

/// Stores a conversation, a lead and an appointment for two patients on `store`, erases
/// the first, and checks only the second keeps them, the first's slot staying booked.
async fn erases_one_contact_only(store: TrackerStore, day: &str) {
    let (ana, bia) = (unique_sender("erase-ana"), unique_sender("erase-bia"));
    let (leads, calendar) = (Leads::new(store.clone()), SqlCalendar::new(store.clone()));
    let capacity = Capacity {
        rooms: 100_000,
        buffer_minutes: 0,
    };
    for sender in [&ana, &bia] {
        let events = turn(now());
        store.append(sender, 0, &events).await.expect("append");
        leads
            .record(sender, &TurnFacts::of(&events))
            .await
            .expect("lead");
        let new = appointment(
            sender.as_str(),
            &format!("{day}T10:00"),
            &format!("{day}T10:30"),
        );
        calendar.book(new, capacity).await.expect("book");
    }

    erase_contact(&store, &ana, now()).await.expect("erases");

    assert!(store.load(&ana).await.expect("load").is_empty());
    assert_eq!(store.load(&bia).await.expect("load").len(), 2);
    assert_eq!(leads.get(&ana).await.expect("lead"), None);
    assert!(leads.get(&bia).await.expect("lead").is_some());
    let from = Timestamp::UNIX_EPOCH;
    assert!(
        calendar
            .upcoming(ana.as_str(), from)
            .await
            .expect("upcoming")
            .is_empty()
    );
    assert_eq!(
        calendar
            .upcoming(bia.as_str(), from)
            .await
            .expect("upcoming")
            .len(),
        1
    );
    let at = |hm: &str| {
        format!("{day}T{hm}:00-03:00")
            .parse::<Timestamp>()
            .expect("instant")
    };
    let booked = calendar
        .bookings(at("09:00"), at("12:00"))
        .await
        .expect("bookings");
    assert!(
        booked.len() >= 2,
        "the erased patient's slot stays taken: {booked:?}"
    );
}

#[tokio::test]
async fn erasure_on_sqlite_removes_the_contact_and_keeps_the_books_anonymous() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let store = TrackerStore::connect(&url).await.expect("store");
    erases_one_contact_only(store, "2099-08-03").await;
}

#[tokio::test]
async fn erasure_on_postgres_removes_the_contact_and_keeps_the_books_anonymous() {
    let Some(store) = postgres_store().await else {
        return;
    };
    let url = store.url().to_owned();
    let store = TrackerStore::connect(&url).await.expect("store");
    erases_one_contact_only(store, "2099-08-04").await;
}
