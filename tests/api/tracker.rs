//! The tracker and conversation-control endpoints: GET tracker, POST/PUT events,
//! messages, predict, trigger_intent, execute, /domain; errors are Rasa-shaped JSON.

use crate::dialogue_app::spawn_sqlite_app;
use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn sqlite_app() -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = spawn_sqlite_app(dir.path()).await;
    (dir, app)
}

fn assert_failure(status: u16, body: &Value, expected: u16) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["status"], "failure", "{body}");
    assert_eq!(body["code"], expected, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_new_tracker_starts_a_session_and_honours_include_events() {
    let (_dir, app) = sqlite_app().await;
    let (status, tracker) = app.get("/conversations/ana/tracker").await;
    assert_eq!(status, 200, "{tracker}");
    assert_eq!(tracker["sender_id"], "ana");
    let names: Vec<&str> = tracker["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["event"].as_str())
        .collect();
    assert_eq!(names.first(), Some(&"action"));
    assert!(names.contains(&"session_started"), "{names:?}");
    assert_eq!(tracker["latest_action_name"], "action_listen");
    assert_eq!(tracker["slots"]["procedure"], Value::Null);

    let stored = app.events("ana").await.len();
    let (_, again) = app.get("/conversations/ana/tracker").await;
    assert_eq!(
        again["events"].as_array().map(Vec::len),
        Some(stored),
        "started once"
    );

    let (status, none) = app
        .get("/conversations/ana/tracker?include_events=NONE")
        .await;
    assert_eq!(status, 200);
    assert_eq!(none["events"], Value::Null);
    let (status, body) = app
        .get("/conversations/ana/tracker?include_events=SOME")
        .await;
    assert_failure(status, &body, 400);
}

#[tokio::test]
async fn until_gives_the_tracker_as_it_was() {
    let (_dir, app) = sqlite_app().await;
    app.say("bia", "/greet").await;
    let events = app.events("bia").await;
    let first_user = events
        .iter()
        .find(|e| e["event"] == "user")
        .expect("a user event");
    let before = first_user["timestamp"].as_f64().expect("timestamp") - 1e-3;
    let (status, past) = app
        .get(&format!(
            "/conversations/bia/tracker?include_events=ALL&until={before}"
        ))
        .await;
    assert_eq!(status, 200, "{past}");
    let past_events = past["events"].as_array().expect("events");
    assert!(past_events.len() < events.len());
    assert!(past_events.iter().all(|e| e["event"] != "user"));
}

#[tokio::test]
async fn appended_events_are_applied_and_a_bad_one_stores_nothing() {
    let (_dir, app) = sqlite_app().await;
    let (status, tracker) = app
        .post(
            "/conversations/caio/tracker/events",
            json!({"event": "slot", "name": "procedure", "value": "peeling"}),
        )
        .await;
    assert_eq!(status, 200, "{tracker}");
    assert_eq!(tracker["slots"]["procedure"], "peeling");
    let stored = app.events("caio").await;
    assert!(
        stored.iter().any(|e| e["event"] == "session_started"),
        "a new conversation gets its session first"
    );
    assert!(
        stored
            .last()
            .and_then(|e| e["timestamp"].as_f64())
            .is_some_and(|t| t > 1e9),
        "an event without a timestamp gets the current time"
    );

    let (status, body) = app
        .post(
            "/conversations/caio/tracker/events",
            json!([
                {"event": "slot", "name": "person_name", "value": "Caio"},
                {"event": "telepathy"},
            ]),
        )
        .await;
    assert_failure(status, &body, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("event 1")
    );
    assert_eq!(
        app.events("caio").await,
        stored,
        "nothing of the batch was stored"
    );

    let response = app
        .client
        .post(app.url("/conversations/caio/tracker/events"))
        .body("{not json")
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    assert_failure(status, &response.json().await.expect("json"), 400);
}

#[tokio::test]
async fn put_replaces_the_conversation() {
    let (_dir, app) = sqlite_app().await;
    app.say("davi", "/greet").await;
    let replacement = json!([
        {"event": "action", "name": "action_listen", "timestamp": 10.0},
        {"event": "slot", "name": "procedure", "value": "botox", "timestamp": 11.0},
    ]);
    let (status, tracker) = app
        .call(
            Method::PUT,
            "/conversations/davi/tracker/events?include_events=ALL",
            Some(replacement),
        )
        .await;
    assert_eq!(status, 200, "{tracker}");
    assert_eq!(tracker["events"].as_array().map(Vec::len), Some(2));
    assert_eq!(tracker["slots"]["procedure"], "botox");
    assert_eq!(app.events("davi").await.len(), 2);

    let (status, body) = app
        .call(
            Method::PUT,
            "/conversations/davi/tracker/events",
            Some(json!({"event": "restart"})),
        )
        .await;
    assert_failure(status, &body, 400);
    assert_eq!(app.events("davi").await.len(), 2);
}

#[tokio::test]
async fn a_logged_message_is_not_acted_on_and_predict_stores_nothing() {
    let (_dir, app) = sqlite_app().await;
    let (status, tracker) = app
        .post(
            "/conversations/eva/messages",
            json!({"text": "/book_appointment", "sender": "user"}),
        )
        .await;
    assert_eq!(status, 200, "{tracker}");
    assert_eq!(
        tracker["latest_message"]["intent"]["name"],
        "book_appointment"
    );
    assert_eq!(
        tracker["latest_action_name"], "action_listen",
        "no action ran"
    );
    let stored = app.events("eva").await;

    let (status, prediction) = app.post("/conversations/eva/predict", json!({})).await;
    assert_eq!(status, 200, "{prediction}");
    assert_eq!(prediction["scores"][0]["action"], "booking_form");
    let scores = prediction["scores"].as_array().cloned().unwrap_or_default();
    let listen = scores.iter().find(|s| s["action"] == "action_listen");
    assert_eq!(
        listen.map(|s| s["score"].clone()),
        Some(json!(0.0)),
        "every action of the domain is scored, as in Rasa: {scores:?}"
    );
    assert_eq!(prediction["policy"], "RulePolicy");
    assert!(prediction["confidence"].as_f64().is_some_and(|c| c > 0.5));
    assert_eq!(prediction["tracker"]["sender_id"], "eva");
    assert_eq!(app.events("eva").await, stored, "predict stores nothing");

    let (status, body) = app
        .post(
            "/conversations/eva/messages",
            json!({"text": "oi", "sender": "bot"}),
        )
        .await;
    assert_failure(status, &body, 400);
    let (status, body) = app
        .post("/conversations/eva/messages", json!({"sender": "user"}))
        .await;
    assert_failure(status, &body, 400);
}

#[tokio::test]
async fn trigger_intent_runs_the_bot_with_the_given_entities() {
    let (_dir, app) = sqlite_app().await;
    let (status, answer) = app
        .post(
            "/conversations/fabi/trigger_intent",
            json!({"name": "book_appointment"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["messages"],
        json!([{"recipient_id": "fabi", "text": "Qual procedimento você quer agendar?"}])
    );
    let (status, answer) = app
        .post(
            "/conversations/fabi/trigger_intent",
            json!({"name": "inform", "entities": {"procedure": "botox"}}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["tracker"]["slots"]["procedure"], "botox");
    assert_eq!(answer["messages"][0]["text"], "Qual é o seu nome completo?");

    let stored = app.events("fabi").await;
    let (status, body) = app
        .post(
            "/conversations/fabi/trigger_intent",
            json!({"name": "dance"}),
        )
        .await;
    assert_failure(status, &body, 404);
    assert_eq!(app.events("fabi").await, stored);
}

#[tokio::test]
async fn execute_runs_one_action_and_an_unknown_one_stores_nothing() {
    let (_dir, app) = sqlite_app().await;
    let (status, answer) = app
        .post(
            "/conversations/gil/execute",
            json!({"name": "utter_goodbye"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["messages"][0]["text"],
        "Até logo! Qualquer coisa é só chamar."
    );
    assert_eq!(answer["tracker"]["latest_action_name"], "utter_goodbye");
    let stored = app.events("gil").await;

    let (status, body) = app
        .post(
            "/conversations/gil/execute",
            json!({"name": "utter_nothing"}),
        )
        .await;
    assert_failure(status, &body, 404);
    assert_eq!(app.events("gil").await, stored);
    let (status, body) = app.post("/conversations/gil/execute", json!({})).await;
    assert_failure(status, &body, 400);
}

#[tokio::test]
async fn the_domain_and_the_status_name_the_dialogue_model() {
    let (_dir, app) = sqlite_app().await;
    let (status, domain) = app.get("/domain").await;
    assert_eq!(status, 200, "{domain}");
    assert!(domain["forms"].get("booking_form").is_some(), "{domain}");
    assert!(domain.to_string().contains("book_appointment"));
    let (_, status) = app.get("/status").await;
    assert!(
        status["dialogue_model_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("core-")),
        "{status}"
    );
}

#[tokio::test]
async fn an_nlu_only_server_refuses_conversations_with_409() {
    let app = spawn_app(None).await;
    let (status, body) = app
        .post(
            "/webhooks/rest/webhook",
            json!({"sender": "x", "message": "oi"}),
        )
        .await;
    assert_failure(status, &body, 409);
    let (status, body) = app.get("/conversations/x/tracker").await;
    assert_failure(status, &body, 409);
}

#[tokio::test]
async fn a_webhook_body_without_a_text_message_or_a_sender_is_a_400() {
    let (_dir, app) = sqlite_app().await;
    let (status, body) = app
        .post("/webhooks/rest/webhook", json!({"sender": "x"}))
        .await;
    assert_failure(status, &body, 400);
    let (status, body) = app
        .post(
            "/webhooks/rest/webhook",
            json!({"sender": " ", "message": "oi"}),
        )
        .await;
    assert_failure(status, &body, 400);
    let (status, body) = app
        .post(
            "/webhooks/rest/webhook",
            json!({"sender": "x", "message": 7}),
        )
        .await;
    assert_failure(status, &body, 400);
}
