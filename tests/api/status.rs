use crate::helpers::spawn_app;
use serde_json::Value;

async fn get_json(path: &str) -> (u16, Value) {
    let app = spawn_app(None).await;
    let response = app.client.get(app.url(path)).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

#[tokio::test]
async fn status_names_the_loaded_model() {
    let (code, body) = get_json("/status").await;
    assert_eq!(code, 200);
    let model_id = body["model_id"].as_str().expect("model_id");
    assert!(model_id.starts_with("nlu-"), "{body}");
    assert_eq!(body["fingerprint"]["nlu"].as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn health_and_version_answer() {
    assert_eq!(
        get_json("/health").await,
        (200, serde_json::json!({"status": "ok"}))
    );
    let (code, body) = get_json("/version").await;
    assert_eq!(code, 200);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn unknown_route_is_a_json_404() {
    let (code, body) = get_json("/nope").await;
    assert_eq!(code, 404);
    assert_eq!(body["status"], "failure");
}
