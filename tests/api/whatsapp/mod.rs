//! The WhatsApp Cloud API channel end to end: a real server over the dialogue fixture,
//! Meta's side played by signed webhook posts and a fake Graph API on loopback.

mod delivery;
mod fake_graph;
mod fake_stt;
mod jobs;
mod voice;
mod webhook;

use crate::dialogue_app::dialogue_state;
use crate::helpers::{TestApp, loopback, serve};
use bela_server::Settings;
use bela_server::channels::whatsapp::{WhatsAppConfig, signature};
use fake_graph::FakeGraph;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const VERIFY_TOKEN: &str = "token-de-verificacao";
const APP_SECRET: &str = "segredo-do-app";
const ACCESS_TOKEN: &str = "EAAG-teste";
const PHONE_NUMBER_ID: &str = "106540352242922";
const PATIENT: &str = "5511987654321";

/// The channel's configuration pointing at `graph`, retrying after a few milliseconds.
fn config(graph: &FakeGraph) -> WhatsAppConfig {
    WhatsAppConfig {
        verify_token: Some(VERIFY_TOKEN.into()),
        app_secret: Some(APP_SECRET.into()),
        access_token: Some(ACCESS_TOKEN.into()),
        phone_number_id: Some(PHONE_NUMBER_ID.into()),
        api_base: graph.base.clone(),
        retry_base: Duration::from_millis(20),
        request_timeout: Duration::from_secs(2),
        ..WhatsAppConfig::default()
    }
}

/// A fake service on a free loopback port; dropping it stops it.
struct Loopback {
    /// `http://127.0.0.1:PORT`.
    base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Loopback {
    /// Binds a free loopback port and serves `app` there.
    async fn serve(app: axum::Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { base, server }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The patient's conversation as the server stores it: its user events.
async fn user_events(app: &TestApp) -> Vec<Value> {
    let (status, tracker) = app.get(&format!("/conversations/{PATIENT}/tracker")).await;
    assert_eq!(status, 200, "{tracker}");
    tracker["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["event"] == "user")
        .cloned()
        .collect()
}

/// The SQLite file of a test's conversations, inbox and outbox.
fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("bela.db").display())
}

/// A server with the WhatsApp channel on, over the SQLite file in `dir`.
async fn spawn_channel(dir: &Path, graph: &FakeGraph) -> TestApp {
    spawn_configured(dir, config(graph)).await
}

/// A server with the WhatsApp channel configured by `whatsapp`, over the SQLite file in
/// `dir`.
async fn spawn_configured(dir: &Path, whatsapp: WhatsAppConfig) -> TestApp {
    let url = database_url(dir);
    let settings = Settings {
        whatsapp,
        ..loopback()
    };
    serve(&settings, dialogue_state(&url, None).await).await
}

/// A notification of `messages` from the patient (`contacts` with their profile name).
fn notification(messages: Value) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881",
                         "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Ana Lima"}, "wa_id": PATIENT}],
            "messages": messages
        }}]}]
    })
}

/// A text message `wamid` saying `body`.
fn text(wamid: &str, body: &str) -> Value {
    json!({"from": PATIENT, "id": wamid, "timestamp": "1764620000", "type": "text",
           "text": {"body": body}})
}

/// Posts `body` to the webhook with `signature` (none when `None`); status and answer.
async fn post_signed(app: &TestApp, body: &Value, signature: Option<&str>) -> (u16, Value) {
    let raw = body.to_string();
    let mut request = app
        .client
        .post(app.url("/webhooks/whatsapp"))
        .header("content-type", "application/json")
        .body(raw);
    if let Some(signature) = signature {
        request = request.header("x-hub-signature-256", signature);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

/// Posts `body` signed as Meta would; expects the 200 acknowledgement.
async fn deliver(app: &TestApp, body: &Value) {
    let signature = signature::sign(APP_SECRET, body.to_string().as_bytes());
    let (status, answer) = post_signed(app, body, Some(&signature)).await;
    assert_eq!(status, 200, "{answer}");
}

/// Runs `sql` (a single number) on the test's SQLite file.
async fn count(dir: &Path, sql: &'static str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&database_url(dir))
        .await
        .expect("open the test database");
    let n = sqlx::query_scalar(sql)
        .fetch_one(&pool)
        .await
        .expect("count");
    pool.close().await;
    n
}
