//! Scheduled jobs through WhatsApp: a reactivation campaign posted over HTTP reaches the
//! patient once through the outbox, as the campaign's template when the 24-hour window is
//! closed.

use super::fake_graph::{FakeGraph, meta_error};
use super::{PATIENT, config, count, deliver, notification, spawn_configured, text};
use bela_server::channels::whatsapp::{JobTemplates, WhatsAppConfig};
use serde_json::json;

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[tokio::test]
async fn a_campaign_goes_out_once_and_as_its_template_when_the_window_is_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let whatsapp = WhatsAppConfig {
        job_templates: JobTemplates {
            reactivation: Some("reativacao_paciente".into()),
            ..JobTemplates::default()
        },
        ..config(&graph)
    };
    let app = spawn_configured(dir.path(), whatsapp).await;
    deliver(&app, &notification(json!([text("wamid.J1", "oi")]))).await;
    assert_eq!(graph.wait_for(1).await.len(), 1, "the greeting's answer");

    let campaign = json!({"campaign": "volta", "text": "Oi! Sentimos sua falta 💜"});
    let (status, body) = app.post("/campaigns/reactivation", campaign.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"campaign": "volta", "leads": 1, "scheduled": 1})
    );
    let (_, again) = app.post("/campaigns/reactivation", campaign).await;
    assert_eq!(again["scheduled"], 0, "once per lead per campaign");

    graph.fail_next(400, meta_error(131047, "Re-engagement message"));
    let scheduler = app.scheduler.as_ref().expect("a dialogue model is loaded");
    let report = scheduler.run_due_jobs(now() + 1.0).await.expect("runs");
    assert_eq!(report.sent, 1, "{report:?}");
    scheduler
        .run_due_jobs(now() + 2.0)
        .await
        .expect("runs again");

    let sent = graph.wait_for(3).await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[1].body["text"]["body"], "Oi! Sentimos sua falta 💜");
    let template = &sent[2].body;
    assert_eq!(template["type"], "template", "{template}");
    assert_eq!(template["to"], PATIENT);
    assert_eq!(template["template"]["name"], "reativacao_paciente");
    assert_eq!(
        template["template"]["components"][0]["parameters"][0]["text"],
        "Ana"
    );
    let queued = "SELECT COUNT(*) FROM whatsapp_outbox WHERE dedup_key LIKE 'reactivation:volta:%'";
    assert_eq!(count(dir.path(), queued).await, 1);
    let (status, tracker) = app.get(&format!("/conversations/{PATIENT}/tracker")).await;
    assert_eq!(status, 200);
    let recorded = tracker["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["event"] == "bot" && e["text"] == "Oi! Sentimos sua falta 💜")
        .count();
    assert_eq!(recorded, 1, "the conversation records it once");
}

#[tokio::test]
async fn a_campaign_needs_an_id_and_one_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = FakeGraph::start().await;
    let app = spawn_configured(dir.path(), config(&graph)).await;
    for body in [
        json!({"campaign": "", "text": "oi"}),
        json!({"campaign": "a", "text": "oi", "response": "utter_greet"}),
        json!({"campaign": "a"}),
        json!({"campaign": "a", "response": "utter_nao_existe"}),
    ] {
        let (status, answer) = app.post("/campaigns/reactivation", body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
    }
}
