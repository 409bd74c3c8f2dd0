//! `reference_time` and `timezone` on `/model/parse`: built-in values relative to the
//! patient's clock.

use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn post(body: Value) -> (u16, Value) {
    let app = spawn_app(None).await;
    let response = app
        .client
        .post(app.url("/model/parse"))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json body"))
}

fn time_entity(body: &Value) -> &Value {
    body["entities"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["entity"] == "time"))
        .unwrap_or_else(|| panic!("no time entity in {body}"))
}

#[tokio::test]
async fn times_resolve_from_the_given_reference_and_zone() {
    let (status, body) = post(json!({
        "text": "tem horário amanhã às 15h?",
        "reference_time": "2026-03-12T01:30:00Z",
        "timezone": "America/Sao_Paulo"
    }))
    .await;
    assert_eq!(status, 200, "{body}");
    // 01:30 UTC on the 12th is 22:30 on the 11th in São Paulo: "amanhã" is the 12th.
    let time = time_entity(&body);
    assert_eq!(time["value"], "2026-03-12T15:00:00.000-03:00");
    assert_eq!(time["extractor"], "DucklingEntityExtractor");
    assert_eq!(
        (time["start"].clone(), time["end"].clone()),
        (json!(12), json!(25))
    );
    assert_eq!(time["additional_info"]["grain"], "hour");

    let (_, utc) = post(json!({
        "text": "tem horário amanhã às 15h?",
        "reference_time": "2026-03-12T01:30:00Z",
        "timezone": "UTC"
    }))
    .await;
    assert_eq!(time_entity(&utc)["value"], "2026-03-13T15:00:00.000+00:00");
}

#[tokio::test]
async fn bad_reference_time_or_zone_is_a_400_in_rasa_shape() {
    for body in [
        json!({"text": "amanhã", "reference_time": "ontem à noite"}),
        json!({"text": "amanhã", "timezone": "Lua/Crateras"}),
    ] {
        let (status, answer) = post(body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(answer["status"], "failure");
        assert_eq!(answer["code"], 400);
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
}
