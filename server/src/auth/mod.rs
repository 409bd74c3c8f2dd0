//! Rasa's HTTP API security: `?token=` (`--auth-token`) and JWTs (`--jwt-secret`).
//!
//! As in Rasa's `requires_auth`: a matching `?token=` passes; else a valid
//! `Authorization: Bearer <JWT>` passes for role `admin`, and for role `user` only on
//! `/conversations/{id}/...` where `{id}` is its username (403 otherwise); else 401.
//! With neither configured everything is open. Rasa leaves `/`, `/version` and the
//! channel webhooks open in any case (a WhatsApp or REST client has no API token);
//! so does Bela, plus its liveness probe and API description.

mod jwt;

use crate::error::ApiError;
use crate::settings::Settings;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jwt::{JwtVerifier, User};
use std::sync::Arc;

/// Paths anyone may call.
const PUBLIC_PATHS: &[&str] = &["/", "/health", "/version", "/openapi.json"];

/// Channel webhooks: open, as Rasa's channel blueprints are (channels check their own
/// signatures).
const PUBLIC_PREFIX: &str = "/webhooks/";

/// The configured credentials.
pub(crate) struct Auth {
    token: Option<String>,
    jwt: Option<JwtVerifier>,
}

impl Auth {
    /// The credentials `settings` configure.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            token: settings.auth_token.clone().filter(|t| !t.is_empty()),
            jwt: settings
                .jwt_secret
                .as_deref()
                .and_then(|secret| JwtVerifier::new(secret, settings.jwt_method)),
        }
    }

    /// Whether a request for `path?query` with `headers` may go on.
    fn check(&self, path: &str, query: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
        if (self.token.is_none() && self.jwt.is_none()) || is_public(path) {
            return Ok(());
        }
        let given = query.and_then(token_param);
        if let (Some(expected), Some(given)) = (&self.token, &given)
            && constant_time_eq(given.as_bytes(), expected.as_bytes())
        {
            return Ok(());
        }
        let Some(verifier) = &self.jwt else {
            return Err(match given {
                Some(_) => ApiError::unauthorized("the token is not valid"),
                None => ApiError::unauthorized("this server requires `?token=` on every request"),
            });
        };
        let Some(bearer) = bearer(headers) else {
            return Err(ApiError::unauthorized(
                "User is not authenticated: send `Authorization: Bearer <JWT>`",
            ));
        };
        let user = verifier
            .verify(bearer)
            .map_err(|why| ApiError::unauthorized(format!("User is not authenticated: {why}")))?;
        if may_call(&user, path) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "NotAuthorized",
                "User has insufficient permissions.",
            ))
        }
    }
}

/// Rejects unauthenticated (401) and unauthorised (403) requests with Rasa's JSON error.
pub(crate) async fn require_auth(
    State(auth): State<Arc<Auth>>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    match auth.check(uri.path(), uri.query(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

fn is_public(path: &str) -> bool {
    PUBLIC_PATHS.contains(&path) || path.starts_with(PUBLIC_PREFIX)
}

/// Rasa's `sufficient_scope`: admins everywhere, users on their own conversation.
fn may_call(user: &User, path: &str) -> bool {
    match user.role.as_deref() {
        Some("admin") => true,
        Some("user") => user
            .username
            .as_deref()
            .is_some_and(|name| conversation_id(path).as_deref() == Some(name)),
        _ => false,
    }
}

/// The `{id}` of `/conversations/{id}/...`, percent-decoded as the router decodes it.
fn conversation_id(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/conversations/")?;
    let raw = rest.split('/').next().filter(|s| !s.is_empty())?;
    percent_decode(raw)
}

/// `%XX` escapes decoded; `None` for a malformed escape or non-UTF-8 bytes.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `token` query parameter (percent-decoded: tokens may hold `+`, `/`, `=`).
fn token_param(query: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| percent_decode(v).unwrap_or_else(|| v.to_owned()))
}

/// The token of `Authorization: Bearer <token>` (the scheme is case-insensitive).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Compares without an early exit, so timing does not leak how much of a token matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests;
