//! Whole conversations over the REST webhook: SQLite, a restart in the middle of a form,
//! PostgreSQL, and two server processes sharing one PostgreSQL.

use crate::dialogue_app::{
    postgres_url, redis_url, spawn_dialogue_app, spawn_sqlite_app, spawn_with_locks, unique_sender,
};
use crate::helpers::TestApp;
use serde_json::{Value, json};
use std::sync::Arc;

const GREET: &str = "Olá! Sou a assistente da clínica. Como posso ajudar?";
const ASK_PROCEDURE: &str = "Qual procedimento você quer agendar?";
const ASK_NAME: &str = "Qual é o seu nome completo?";
const IAMABOT: &str = "Sou a assistente virtual da clínica.";
const BOOKED: [&str; 2] = [
    "Pronto, Maria Souza! Seu pedido de botox foi registrado.",
    "A equipe confirma o horário em breve.",
];

/// Greets (through the NLU), starts the booking form and gives the procedure.
async fn start_booking(app: &TestApp, sender: &str) {
    assert_eq!(app.say(sender, "oi tudo bem?").await, [GREET]);
    assert_eq!(app.say(sender, "/book_appointment").await, [ASK_PROCEDURE]);
    assert_eq!(
        app.say(sender, r#"/inform{"procedure": "botox"}"#).await,
        [ASK_NAME]
    );
}

/// Interrupts the form with a question (through the NLU), then completes it.
async fn finish_booking(app: &TestApp, sender: &str) {
    assert_eq!(
        app.say(sender, "vc é um robô?").await,
        [IAMABOT, ASK_NAME],
        "the interruption is answered, then the form asks again"
    );
    assert_eq!(
        app.say(sender, r#"/inform{"person_name": "Maria Souza"}"#)
            .await,
        BOOKED,
        "a text with a blank line is two REST messages"
    );
    let (_, tracker) = app.get(&format!("/conversations/{sender}/tracker")).await;
    assert_eq!(tracker["slots"]["procedure"], "botox");
    assert_eq!(tracker["slots"]["person_name"], "Maria Souza");
    assert_eq!(tracker["active_loop"], json!({}));
    assert_eq!(tracker["latest_input_channel"], "rest");
    assert_eq!(tracker["latest_action_name"], "action_listen");
}

/// The user messages of a conversation, in stored order.
fn user_texts(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .filter(|e| e["event"] == "user")
        .filter_map(|e| e["text"].as_str())
        .collect()
}

#[tokio::test]
async fn a_booking_with_an_interruption_over_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = spawn_sqlite_app(dir.path()).await;
    start_booking(&app, "5511900000001").await;
    finish_booking(&app, "5511900000001").await;
    let events = app.events("5511900000001").await;
    assert_eq!(events[0]["name"], "action_session_start");
    assert_eq!(user_texts(&events).len(), 5);
    assert!(
        app.events("5511900000002").await.len() < events.len(),
        "conversations are kept apart"
    );
}

#[tokio::test]
async fn a_restarted_server_continues_the_form_where_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sender = "5511900000003";
    let first = spawn_sqlite_app(dir.path()).await;
    start_booking(&first, sender).await;
    let before = first.events(sender).await;
    drop(first);

    let second = spawn_sqlite_app(dir.path()).await;
    assert_eq!(second.events(sender).await, before, "every event survived");
    finish_booking(&second, sender).await;
}

#[tokio::test]
async fn a_booking_with_an_interruption_over_postgres() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let app = spawn_dialogue_app(&url).await;
    let sender = unique_sender("booking");
    start_booking(&app, &sender).await;
    finish_booking(&app, &sender).await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_process_one_senders_messages_in_order() {
    let Some(url) = postgres_url().await else {
        return;
    };
    two_servers_in_order(&url, None).await;
}

#[tokio::test]
async fn two_servers_locking_in_redis_process_one_senders_messages_in_order() {
    let (Some(url), Some(redis)) = (postgres_url().await, redis_url().await) else {
        return;
    };
    two_servers_in_order(&url, Some(&redis)).await;
}

/// Two servers ("processes") on the PostgreSQL at `url`, locking conversations in
/// `lock_store` (default: advisory locks), get concurrent messages of one sender.
async fn two_servers_in_order(url: &str, lock_store: Option<&str>) {
    let apps = Arc::new([
        spawn_with_locks(url, lock_store).await,
        spawn_with_locks(url, lock_store).await,
    ]);
    let sender = unique_sender("two-servers");
    const STREAMS: usize = 4;
    const PER_STREAM: usize = 6;
    // Each stream sends its messages one after another; the streams run concurrently,
    // alternating between the two servers.
    let mut streams = tokio::task::JoinSet::new();
    for s in 0..STREAMS {
        let (apps, sender) = (apps.clone(), sender.clone());
        streams.spawn(async move {
            let app = &apps[s % apps.len()];
            for i in 0..PER_STREAM {
                let text = format!("/greet{{\"seq\": \"{s}-{i}\"}}");
                assert_eq!(app.say(&sender, &text).await, [GREET]);
            }
        });
    }
    while let Some(done) = streams.join_next().await {
        done.expect("a stream failed");
    }

    let events = apps[0].events(&sender).await;
    let texts = user_texts(&events);
    assert_eq!(
        texts.len(),
        STREAMS * PER_STREAM,
        "every message was stored"
    );
    for s in 0..STREAMS {
        let seen: Vec<usize> = texts
            .iter()
            .filter_map(|t| t.strip_prefix(&format!("/greet{{\"seq\": \"{s}-")))
            .filter_map(|rest| rest.trim_end_matches("\"}").parse().ok())
            .collect();
        assert_eq!(
            seen,
            (0..PER_STREAM).collect::<Vec<_>>(),
            "stream {s} in order"
        );
    }
    // No interleaving: every user message is followed by its whole turn.
    let turns: Vec<Vec<&str>> = events
        .split(|e| e["event"] == "user")
        .skip(1)
        .map(|turn| turn.iter().filter_map(|e| e["event"].as_str()).collect())
        .collect();
    for turn in &turns {
        assert_eq!(turn, &["action", "bot", "action"], "{events:?}");
    }
}
