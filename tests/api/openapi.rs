//! `GET /openapi.json` describes exactly the routes the server serves.

use crate::helpers::{TestApp, spawn_app};
use serde_json::Value;

/// The endpoints Bela's API must describe (Rasa's, plus Bela's own).
const REQUIRED: &[(&str, &str)] = &[
    ("post", "/webhooks/rest/webhook"),
    ("get", "/conversations/{conversation_id}/tracker"),
    ("post", "/conversations/{conversation_id}/tracker/events"),
    ("put", "/conversations/{conversation_id}/tracker/events"),
    ("post", "/conversations/{conversation_id}/messages"),
    ("post", "/conversations/{conversation_id}/trigger_intent"),
    ("post", "/conversations/{conversation_id}/predict"),
    ("post", "/conversations/{conversation_id}/execute"),
    ("post", "/model/parse"),
    ("get", "/domain"),
    ("get", "/status"),
    ("get", "/version"),
    ("get", "/health"),
    ("get", "/openapi.json"),
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

async fn document(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("JSON")
}

/// Every `(method, path template, operation)` in the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                out.push((method.to_string(), path.clone(), op.clone()));
            }
        }
    }
    out
}

/// Whether the router serves `method path` (anything but its own 404 / 405 fallback).
async fn served(app: &TestApp, method: &str, template: &str) -> bool {
    let path = template.replace("{conversation_id}", "openapi-probe");
    let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    let response = app
        .client
        .request(method, app.url(&path))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let fallback_404 = status == 404 && body["message"] == "no such endpoint";
    !(fallback_404 || status == 405)
}

#[tokio::test]
async fn the_document_lists_every_required_endpoint() {
    let app = spawn_app(None).await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let ops = operations(&doc);
    for (method, path) in REQUIRED {
        assert!(
            ops.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} is not in openapi.yml"
        );
    }
}

#[tokio::test]
async fn documented_operations_are_served_unless_marked_planned() {
    let app = spawn_app(None).await;
    let doc = document(&app).await;
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&doc) {
        let planned = op["x-bela-planned"] == true;
        match (served(&app, &method, &path).await, planned) {
            (true, true) => wrong.push(format!(
                "{method} {path} is served: drop its x-bela-planned"
            )),
            (false, false) => wrong.push(format!("{method} {path} is documented but not served")),
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
