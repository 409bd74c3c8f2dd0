//! `GET /webhooks/whatsapp` (Meta's verification handshake) and `POST` (notifications).

use crate::channels::whatsapp::payload::Notification;
use crate::channels::whatsapp::process::StoredMessage;
use crate::channels::whatsapp::{Channel, signature, statuses};
use crate::error::ApiError;
use crate::routes::body::{QueryParams, now};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The router's state: the channel, when it is on.
type ChannelState = State<Option<Arc<Channel>>>;

/// `hub.*` query parameters of the verification request.
#[derive(Debug, Deserialize)]
pub struct Verification {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Echoes `hub.challenge` when the mode is `subscribe` and the token matches.
pub async fn verify(
    State(channel): ChannelState,
    QueryParams(query): QueryParams<Verification>,
) -> Result<Response, ApiError> {
    let channel = on(channel.as_deref())?;
    let expected = channel.core.settings.verify_token.as_bytes();
    let token_ok = query
        .verify_token
        .is_some_and(|t| constant_time_eq(t.as_bytes(), expected));
    match query.challenge {
        Some(challenge) if query.mode.as_deref() == Some("subscribe") && token_ok => {
            Ok(([(header::CONTENT_TYPE, "text/plain")], challenge).into_response())
        }
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "WhatsApp webhook verification failed: wrong hub.mode or hub.verify_token",
        )),
    }
}

/// Checks the signature, stores the messages and statuses, answers 200, then processes.
pub async fn receive(
    State(channel): ChannelState,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let channel = on(channel.as_deref())?;
    let core = &channel.core;
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !signature::is_valid(&core.settings.app_secret, &body, signature) {
        return Err(ApiError::unauthorized(
            "missing or invalid X-Hub-Signature-256",
        ));
    }
    let notification: Notification = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid WhatsApp notification: {e}")))?;
    let mut senders = BTreeSet::new();
    for (message, name) in notification.messages() {
        let stored = StoredMessage {
            message: message.clone(),
            profile_name: name.map(str::to_owned),
        };
        let payload = serde_json::to_string(&stored).map_err(internal)?;
        if core
            .inbox
            .insert(&message.id, &message.from, &payload, now())
            .await
            .map_err(internal)?
        {
            senders.insert(message.from.clone());
        }
    }
    for status in notification.statuses() {
        statuses::record(core.conversations.store(), status)
            .await
            .map_err(internal)?;
    }
    for sender in senders {
        core.wake(&sender);
    }
    Ok((
        StatusCode::OK,
        axum::Json(serde_json::json!({"status": "ok"})),
    )
        .into_response())
}

fn on(channel: Option<&Channel>) -> Result<&Channel, ApiError> {
    channel.ok_or_else(|| ApiError::not_found("the WhatsApp channel is not configured"))
}

/// A storage failure: 500, so Meta delivers the notification again later.
fn internal(error: impl std::fmt::Display) -> ApiError {
    tracing::error!(%error, "WhatsApp notification not stored");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ServerError",
        "the notification could not be stored; deliver it again",
    )
}

/// Equal-length byte strings compared without an early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
