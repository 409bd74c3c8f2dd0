//! Replies: delivered once, in order, retried on temporary failures, and not lost across
//! a restart.

use super::fake_graph::{FakeGraph, meta_error};
use super::*;
use bela_server::channels::whatsapp::replies;

#[tokio::test]
async fn a_text_message_is_answered_once_through_the_graph_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_channel(dir.path(), &graph).await;
    deliver(&app, &notification(json!([text("wamid.T1", "oi")]))).await;

    let sent = graph.wait_for(1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].path, format!("v21.0/{PHONE_NUMBER_ID}"));
    assert_eq!(sent[0].authorization.as_deref(), Some("Bearer EAAG-teste"));
    let body = &sent[0].body;
    assert_eq!(body["to"], PATIENT);
    assert_eq!(body["messaging_product"], "whatsapp");
    // utter_greet has one button: a reply button carrying its payload.
    assert_eq!(body["interactive"]["type"], "button", "{body}");
    let button = &body["interactive"]["action"]["buttons"][0]["reply"];
    assert_eq!(button["id"], "/book_appointment");
    assert_eq!(button["title"], "Agendar");

    assert_eq!(
        graph.reads(),
        ["wamid.T1"],
        "marked read with the typing indicator"
    );
    let users = user_events(&app).await;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["input_channel"], "whatsapp");
    assert_eq!(users[0]["message_id"], "wamid.T1");
    assert_eq!(users[0]["parse_data"]["metadata"]["name"], "Ana Lima");
    assert_eq!(users[0]["parse_data"]["intent"]["name"], "greet");
    let sent_rows = "SELECT COUNT(*) FROM whatsapp_outbox \
                     WHERE status = 'sent' AND wamid = 'wamid.OUT1'";
    assert_eq!(count(dir.path(), sent_rows).await, 1);
}

#[tokio::test]
async fn a_redelivered_message_is_processed_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_channel(dir.path(), &graph).await;
    let body = notification(json!([text("wamid.D1", "oi")]));
    tokio::join!(deliver(&app, &body), deliver(&app, &body));
    deliver(&app, &body).await;

    assert_eq!(graph.wait_for(1).await.len(), 1);
    assert_eq!(graph.reads(), ["wamid.D1"]);
    assert_eq!(user_events(&app).await.len(), 1);
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM whatsapp_inbox").await,
        1
    );
}

#[tokio::test]
async fn temporary_failures_are_retried_until_one_reply_is_delivered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    graph.fail_next(500, meta_error(1, "internal"));
    graph.fail_next(400, meta_error(130429, "Rate limit hit"));
    let app = spawn_channel(dir.path(), &graph).await;
    deliver(&app, &notification(json!([text("wamid.R1", "tchau")]))).await;

    let sent = graph.wait_for(3).await;
    assert_eq!(sent.len(), 3, "two failures, then one success: {sent:?}");
    assert!(
        sent.iter().all(|r| r.body == sent[0].body),
        "the same reply each time"
    );
    let delivered = "SELECT COUNT(*) FROM whatsapp_outbox \
                     WHERE status = 'sent' AND attempts = 3 AND wamid = 'wamid.OUT3'";
    assert_eq!(count(dir.path(), delivered).await, 1);
}

#[tokio::test]
async fn a_timed_out_send_is_retried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    graph.stall_next(Duration::from_secs(2));
    let whatsapp = WhatsAppConfig {
        request_timeout: Duration::from_millis(200),
        ..config(&graph)
    };
    let app = spawn_configured(dir.path(), whatsapp).await;
    deliver(&app, &notification(json!([text("wamid.S1", "oi")]))).await;

    assert_eq!(graph.wait_for(2).await.len(), 2);
    let delivered = "SELECT COUNT(*) FROM whatsapp_outbox \
                     WHERE status = 'sent' AND attempts = 2 AND wamid = 'wamid.OUT2'";
    assert_eq!(count(dir.path(), delivered).await, 1);
}

#[tokio::test]
async fn a_permanent_refusal_is_recorded_and_not_retried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    graph.fail_next(400, meta_error(131026, "Message undeliverable"));
    let app = spawn_channel(dir.path(), &graph).await;
    deliver(&app, &notification(json!([text("wamid.P1", "oi")]))).await;

    assert_eq!(graph.wait_for(1).await.len(), 1);
    let failed = "SELECT COUNT(*) FROM whatsapp_outbox WHERE status = 'failed' \
                  AND error LIKE '%131026%Message undeliverable%'";
    assert_eq!(count(dir.path(), failed).await, 1);
}

#[tokio::test]
async fn a_closed_window_switches_to_the_configured_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    graph.fail_next(400, meta_error(131047, "Re-engagement message"));
    let whatsapp = WhatsAppConfig {
        fallback_template: Some("retomar_conversa".into()),
        ..config(&graph)
    };
    let app = spawn_configured(dir.path(), whatsapp).await;
    deliver(&app, &notification(json!([text("wamid.W1", "oi")]))).await;

    let sent = graph.wait_for(2).await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].body["type"], "interactive");
    assert_eq!(sent[1].body["type"], "template");
    assert_eq!(sent[1].body["to"], PATIENT);
    assert_eq!(sent[1].body["template"]["name"], "retomar_conversa");
    assert_eq!(sent[1].body["template"]["language"]["code"], "pt_BR");
    let delivered = "SELECT COUNT(*) FROM whatsapp_outbox WHERE status = 'sent' \
                     AND error LIKE '%131047%' AND message LIKE '%retomar_conversa%'";
    assert_eq!(count(dir.path(), delivered).await, 1);
}

#[tokio::test]
async fn button_replies_drive_the_dialogue_and_media_get_a_polite_answer_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_channel(dir.path(), &graph).await;
    deliver(
        &app,
        &notification(json!([
            {"from": PATIENT, "id": "wamid.B1", "timestamp": "1764620000", "type": "interactive",
             "interactive": {"type": "button_reply",
                             "button_reply": {"id": "/book_appointment", "title": "Agendar"}}},
            {"from": PATIENT, "id": "wamid.B2", "timestamp": "1764620001", "type": "image",
             "image": {"id": "1479537139650973", "mime_type": "image/jpeg"}},
            {"from": PATIENT, "id": "wamid.B3", "timestamp": "1764620002", "type": "audio",
             "audio": {"id": "1479537139650974", "mime_type": "audio/ogg; codecs=opus",
                       "voice": true}}
        ])),
    )
    .await;

    let texts: Vec<Value> = graph
        .wait_for(3)
        .await
        .iter()
        .map(|r| r.body["text"]["body"].clone())
        .collect();
    assert_eq!(
        texts,
        [
            json!("Qual procedimento você quer agendar?"),
            json!(replies::UNSUPPORTED),
            json!(replies::VOICE_UNAVAILABLE)
        ]
    );
    let users = user_events(&app).await;
    assert_eq!(users.len(), 1, "only the button reply is a dialogue turn");
    assert_eq!(users[0]["parse_data"]["intent"]["name"], "book_appointment");
}

#[tokio::test]
async fn a_message_stored_but_not_processed_is_answered_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    // The first run creates the schema, then "crashes" with the message acknowledged
    // (stored) but not processed.
    drop(spawn_channel(dir.path(), &graph).await);
    store_unprocessed(dir.path(), "wamid.C1", "oi").await;

    let app = spawn_channel(dir.path(), &graph).await;
    let sent = graph.wait_for(1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].body["interactive"]["type"], "button");
    assert_eq!(user_events(&app).await.len(), 1);
    // The redelivery Meta sends later is acknowledged and ignored.
    deliver(&app, &notification(json!([text("wamid.C1", "oi")]))).await;
    assert_eq!(graph.wait_for(1).await.len(), 1);
    let pending = "SELECT COUNT(*) FROM whatsapp_inbox WHERE processed_at IS NULL";
    assert_eq!(count(dir.path(), pending).await, 0);
}

#[tokio::test]
async fn a_turn_saved_before_a_crash_is_not_run_again_and_its_replies_go_out_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    // The crash window: the turn of wamid.C2 is in the conversation, the message is still
    // unprocessed and no reply was queued.
    let app = spawn_channel(dir.path(), &graph).await;
    let turn = json!([
        {"event": "user", "timestamp": 1764620000.0, "text": "oi", "message_id": "wamid.C2",
         "input_channel": "whatsapp",
         "parse_data": {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}},
        {"event": "bot", "timestamp": 1764620000.1, "text": "Resposta já gravada"}
    ]);
    let (status, body) = app
        .post(&format!("/conversations/{PATIENT}/tracker/events"), turn)
        .await;
    assert_eq!(status, 200, "{body}");
    drop(app);
    store_unprocessed(dir.path(), "wamid.C2", "oi").await;

    let app = spawn_channel(dir.path(), &graph).await;
    let sent = graph.wait_for(1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].body["text"]["body"], "Resposta já gravada");
    assert_eq!(
        user_events(&app).await.len(),
        1,
        "the turn is not run twice"
    );
    let pending = "SELECT COUNT(*) FROM whatsapp_inbox WHERE processed_at IS NULL";
    assert_eq!(count(dir.path(), pending).await, 0);
}

/// Stores the patient's text `wamid` in the inbox of the SQLite file in `dir` as the
/// webhook does before answering, without processing it: a crash after the
/// acknowledgement.
async fn store_unprocessed(dir: &Path, wamid: &str, body: &str) {
    let pool = sqlx::SqlitePool::connect(&database_url(dir))
        .await
        .expect("open the database");
    let stored = json!({"message": text(wamid, body), "profile_name": "Ana Lima"});
    sqlx::query(
        "INSERT INTO whatsapp_inbox (wamid, sender_id, payload, received_at) \
         VALUES ($1, $2, $3, 1764620000)",
    )
    .bind(wamid)
    .bind(PATIENT)
    .bind(stored.to_string())
    .execute(&pool)
    .await
    .expect("insert");
    pool.close().await;
}
