//! The webhook: verification handshake, signatures, what gets stored.

use super::fake_graph::FakeGraph;
use super::*;
use crate::dialogue_app::spawn_sqlite_app;

#[tokio::test]
async fn verification_echoes_the_challenge_only_for_the_right_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_channel(dir.path(), &graph).await;
    let query = |token: &str| {
        format!(
            "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
        )
    };
    let ok = app
        .client
        .get(app.url(&query(VERIFY_TOKEN)))
        .send()
        .await
        .expect("request");
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(
        ok.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/plain")
    );
    assert_eq!(ok.text().await.expect("body"), "1158201444");

    let (status, body) = app.get(&query("errado")).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("verify_token"))
    );
    let (status, _) = app
        .get("/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=token-de-verificacao&hub.challenge=1")
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn without_configuration_the_route_is_a_json_404() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = spawn_sqlite_app(dir.path()).await;
    let (status, body) = app.get("/webhooks/whatsapp?hub.mode=subscribe").await;
    assert_eq!(status, 404, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("not configured"))
    );
    let (status, _) = post_signed(&app, &notification(json!([])), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unsigned_or_forged_notifications_are_rejected_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_channel(dir.path(), &graph).await;
    let body = notification(json!([text("wamid.F1", "oi")]));

    let (status, answer) = post_signed(&app, &body, None).await;
    assert_eq!(status, 401, "{answer}");
    let forged = signature::sign("outro-segredo", body.to_string().as_bytes());
    let (status, _) = post_signed(&app, &body, Some(&forged)).await;
    assert_eq!(status, 401);
    // Signed for another body: the signature covers the raw bytes.
    let other = signature::sign(APP_SECRET, b"{}");
    let (status, _) = post_signed(&app, &body, Some(&other)).await;
    assert_eq!(status, 401);

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM whatsapp_inbox").await,
        0
    );
    assert!(graph.requests().is_empty());
    let (_, tracker) = app.get(&format!("/conversations/{PATIENT}/tracker")).await;
    let events = tracker["events"].as_array().expect("events");
    assert!(events.iter().all(|e| e["event"] != "user"), "{tracker}");
}

#[tokio::test]
async fn statuses_are_stored_per_outbound_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_channel(dir.path(), &graph).await;
    let status = |s: &str| {
        json!({"id": "wamid.OUT9", "status": s, "timestamp": "1764620100",
                                  "recipient_id": PATIENT})
    };
    let mut body = notification(json!([]));
    body["entry"][0]["changes"][0]["value"]["statuses"] = json!([status("sent"), status("read")]);
    deliver(&app, &body).await;
    deliver(&app, &body).await;
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM whatsapp_statuses WHERE wamid = 'wamid.OUT9'"
        )
        .await,
        2
    );
}
