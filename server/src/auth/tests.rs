use super::*;
use axum::http::HeaderValue;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};

const SECRET: &str = "segredo-da-clinica";

fn auth(token: Option<&str>, jwt: bool) -> Auth {
    Auth::from_settings(&Settings {
        auth_token: token.map(str::to_owned),
        jwt_secret: jwt.then(|| SECRET.to_owned()),
        ..Settings::default()
    })
}

fn sign(claims: &Value, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("key");
    jsonwebtoken::encode(&Header::default(), claims, &key).expect("sign")
}

fn bearer_headers(token: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(&format!("Bearer {token}")).expect("header");
    headers.insert(AUTHORIZATION, value);
    headers
}

/// The status `auth` answers for `path?query` with a JWT of `claims` (200 when it passes).
fn status(auth: &Auth, path: &str, query: Option<&str>, claims: Option<Value>) -> u16 {
    let headers = claims.map_or_else(HeaderMap::new, |c| bearer_headers(&sign(&c, SECRET)));
    match auth.check(path, query, &headers) {
        Ok(()) => 200,
        Err(e) => e.into_response().status().as_u16(),
    }
}

fn user(name: &str, role: &str) -> Option<Value> {
    Some(json!({"user": {"username": name, "role": role}}))
}

#[test]
fn without_credentials_configured_everything_is_open() {
    assert_eq!(status(&auth(None, false), "/status", None, None), 200);
}

#[test]
fn public_paths_need_nothing() {
    let a = auth(Some("t"), true);
    for path in [
        "/",
        "/health",
        "/version",
        "/openapi.json",
        "/webhooks/rest/webhook",
    ] {
        assert_eq!(status(&a, path, None, None), 200, "{path}");
    }
    assert_eq!(status(&a, "/webhooksx", None, None), 401);
}

#[test]
fn the_token_parameter_still_works_beside_jwts() {
    let a = auth(Some("a+b/c="), true);
    assert_eq!(status(&a, "/status", Some("token=a%2Bb%2Fc%3D"), None), 200);
    assert_eq!(status(&a, "/status", Some("x=1&token=a+b/c="), None), 200);
    assert_eq!(status(&a, "/status", Some("token=wrong"), None), 401);
    assert_eq!(
        status(&a, "/status", Some("token=wrong"), user("x", "admin")),
        200
    );
}

#[test]
fn roles_follow_rasas_scopes() {
    let a = auth(None, true);
    assert_eq!(status(&a, "/status", None, user("ana", "admin")), 200);
    assert_eq!(
        status(&a, "/conversations/ana/tracker", None, user("ana", "user")),
        200
    );
    assert_eq!(
        status(&a, "/conversations/ana", None, user("ana", "user")),
        200
    );
    assert_eq!(
        status(&a, "/conversations/bia/tracker", None, user("ana", "user")),
        403
    );
    assert_eq!(status(&a, "/status", None, user("ana", "user")), 403);
    assert_eq!(
        status(&a, "/conversations/ana/tracker", None, user("ana", "guest")),
        403
    );
    assert_eq!(
        status(&a, "/conversations/ana/tracker", None, Some(json!({}))),
        403
    );
    assert_eq!(status(&a, "/conversations/ana/tracker", None, None), 401);
}

#[test]
fn a_users_sender_id_is_compared_decoded() {
    let a = auth(None, true);
    let path = "/conversations/%2B55%2011/tracker";
    assert_eq!(status(&a, path, None, user("+55 11", "user")), 200);
    assert_eq!(
        status(&a, "/conversations/%ZZ/tracker", None, user("%ZZ", "user")),
        403
    );
}

#[test]
fn forged_expired_and_garbled_tokens_are_401() {
    let a = auth(None, true);
    let claims = json!({"user": {"username": "ana", "role": "admin"}});
    let forged = sign(&claims, "another secret");
    let expired = sign(
        &json!({"user": {"role": "admin"}, "exp": 1_000_000_000}),
        SECRET,
    );
    for (token, why) in [
        (forged.as_str(), "signature"),
        (expired.as_str(), "expired"),
        ("not.a.jwt", "well-formed"),
    ] {
        let err = a
            .check("/status", None, &bearer_headers(token))
            .expect_err("rejected");
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{why}");
    }
    let unexpired = sign(
        &json!({"user": {"role": "admin"}, "exp": 4_000_000_000u64}),
        SECRET,
    );
    assert!(
        a.check("/status", None, &bearer_headers(&unexpired))
            .is_ok()
    );
}

#[test]
fn an_empty_secret_configures_no_jwt() {
    let a = Auth::from_settings(&Settings {
        jwt_secret: Some(String::new()),
        ..Settings::default()
    });
    assert!(a.jwt.is_none());
}
