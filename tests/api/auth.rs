//! Rasa's API security over HTTP: `?token=`, JWTs with roles, and the open endpoints.

use crate::helpers::{TestApp, spawn_app_with};
use bela_server::Settings;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};

const SECRET: &str = "segredo-da-clinica";
const TOKEN: &str = "api-token";

async fn app() -> TestApp {
    spawn_app_with(Settings {
        auth_token: Some(TOKEN.to_owned()),
        jwt_secret: Some(SECRET.to_owned()),
        ..Settings::default()
    })
    .await
}

fn jwt(claims: Value, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("key");
    jsonwebtoken::encode(&Header::default(), &claims, &key).expect("sign")
}

fn user_jwt(name: &str, role: &str) -> String {
    jwt(json!({"user": {"username": name, "role": role}}), SECRET)
}

async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn admins_and_the_api_token_reach_everything() {
    let app = app().await;
    assert_eq!(
        get(&app, "/status", Some(&user_jwt("ana", "admin")),)
            .await
            .0,
        200
    );
    assert_eq!(
        get(&app, &format!("/status?token={TOKEN}"), None).await.0,
        200
    );
}

#[tokio::test]
async fn missing_forged_and_expired_credentials_are_401_in_rasas_shape() {
    let app = app().await;
    let forged = jwt(
        json!({"user": {"username": "ana", "role": "admin"}}),
        "outro segredo",
    );
    let expired = jwt(
        json!({"user": {"role": "admin"}, "exp": 1_000_000_000}),
        SECRET,
    );
    for bearer in [
        None,
        Some(forged.as_str()),
        Some(expired.as_str()),
        Some("lixo"),
    ] {
        let (status, body) = get(&app, "/status", bearer).await;
        assert_eq!(status, 401, "{bearer:?}");
        assert_eq!(body["status"], "failure");
        assert_eq!(body["reason"], "NotAuthenticated");
        assert_eq!(body["code"], 401);
    }
    assert_eq!(get(&app, "/status?token=wrong", None).await.0, 401);
}

#[tokio::test]
async fn a_user_reaches_only_its_own_conversation() {
    let app = app().await;
    let ana = user_jwt("ana", "user");
    let (status, body) = get(&app, "/conversations/bia/tracker", Some(&ana)).await;
    assert_eq!(status, 403);
    assert_eq!(body["reason"], "NotAuthorized");
    assert_eq!(body["message"], "User has insufficient permissions.");
    assert_eq!(get(&app, "/status", Some(&ana)).await.0, 403);
    // Past the check, whatever the endpoint answers.
    let (status, _) = get(&app, "/conversations/ana/tracker", Some(&ana)).await;
    assert!(status != 401 && status != 403, "{status}");
}

#[tokio::test]
async fn rasas_open_endpoints_stay_open() {
    let app = app().await;
    for path in ["/", "/health", "/version", "/openapi.json"] {
        let status = app
            .client
            .get(app.url(path))
            .send()
            .await
            .expect("request")
            .status();
        assert_eq!(status.as_u16(), 200, "{path}");
    }
    let response = app
        .client
        .post(app.url("/webhooks/rest/webhook"))
        .json(&json!({"sender": "ana", "message": "oi"}))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    assert!(
        status != 401 && status != 403,
        "channel webhooks are open: {status}"
    );
}
