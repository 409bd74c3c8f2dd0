use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn parse(text: &str) -> Value {
    let app = spawn_app(None).await;
    let response = app
        .client
        .post(app.url("/model/parse"))
        .json(&json!({ "text": text }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json body")
}

#[tokio::test]
async fn parse_answers_in_rasa_shape() {
    let body = parse("quanto custa o botox?").await;
    assert_eq!(body["text"], "quanto custa o botox?");
    assert_eq!(body["intent"]["name"], "ask_price");
    let confidence = body["intent"]["confidence"].as_f64().expect("confidence");
    assert!(confidence > 0.3 && confidence <= 1.0, "{confidence}");
    let ranking = body["intent_ranking"].as_array().expect("ranking");
    assert!(!ranking.is_empty() && ranking.len() <= 10);
    let confidences: Vec<f64> = ranking
        .iter()
        .map(|r| r["confidence"].as_f64().expect("confidence"))
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "{confidences:?}"
    );
    assert!(body.get("text_tokens").is_none());
}

#[tokio::test]
async fn entities_carry_offsets_extractor_and_canonical_value() {
    let body = parse("qto custa btx?").await;
    let entities = body["entities"].as_array().expect("entities");
    let procedure = entities
        .iter()
        .find(|e| e["entity"] == "procedure")
        .unwrap_or_else(|| panic!("no procedure in {body}"));
    assert_eq!(procedure["start"], 10);
    assert_eq!(procedure["end"], 13);
    assert_eq!(procedure["value"], "botox", "synonym mapped: {procedure}");
    assert!(procedure["extractor"].is_string());
}

#[tokio::test]
async fn voucher_regex_entity_is_found() {
    let body = parse("faz um orçamento de peeling com o cupom PROMO15").await;
    let entities = body["entities"].as_array().expect("entities");
    assert!(
        entities
            .iter()
            .any(|e| e["entity"] == "voucher" && e["value"] == "PROMO15"),
        "{body}"
    );
}

#[tokio::test]
async fn text_tokens_are_returned_on_request() {
    let app = spawn_app(None).await;
    let body: Value = app
        .client
        .post(app.url("/model/parse"))
        .json(&json!({ "text": "oi, tudo bem", "text_tokens": true }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(body["text_tokens"], json!([[0, 2], [4, 8], [9, 12]]));
}

#[tokio::test]
async fn malformed_requests_get_json_4xx() {
    let app = spawn_app(None).await;
    for (body, content_type) in [
        ("{not json", "application/json"),
        ("{\"message\": \"oi\"}", "application/json"),
        ("{\"text\": 42}", "application/json"),
        ("text=oi", "text/plain"),
    ] {
        let response = app
            .client
            .post(app.url("/model/parse"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{body}: {status}");
        let json: Value = response.json().await.expect("json error body");
        assert_eq!(json["status"], "failure", "{json}");
        assert_eq!(json["code"], status);
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_json_body_is_read_whatever_its_content_type() {
    let app = spawn_app(None).await;
    let response = app
        .client
        .post(app.url("/model/parse"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(r#"{"text": "oi, bom dia"}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["intent"]["name"], "greet");
}

#[tokio::test]
async fn oversized_bodies_and_wrong_methods_get_json_errors() {
    let app = spawn_app(None).await;
    let huge = format!(r#"{{"text": "{}"}}"#, "a".repeat(2 * 1024 * 1024));
    let response = app
        .client
        .post(app.url("/model/parse"))
        .body(huge)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["code"], 413);
    let response = app
        .client
        .get(app.url("/model/parse"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["status"], "failure");
}

#[tokio::test]
async fn token_auth_guards_every_endpoint() {
    let app = spawn_app(Some("s3cret")).await;
    let without = app
        .client
        .post(app.url("/model/parse"))
        .json(&json!({ "text": "oi" }))
        .send()
        .await
        .expect("request");
    assert_eq!(without.status(), 401);
    let wrong = app
        .client
        .get(app.url("/status?token=nope"))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong.status(), 401);
    let right = app
        .client
        .post(app.url("/model/parse?token=s3cret"))
        .json(&json!({ "text": "oi" }))
        .send()
        .await
        .expect("request");
    assert_eq!(right.status(), 200);
}
