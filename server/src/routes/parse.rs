//! `POST /model/parse`: Rasa's NLU parse endpoint.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use bela_engine::nlu::builtin::ReferenceTime;
use bela_engine::nlu::message::ParseResult;
use serde::Deserialize;

/// Rasa's request body.
#[derive(Debug, Deserialize)]
pub struct ParseRequest {
    /// The text to parse.
    text: String,
    /// Echoed by Rasa in logs; accepted for compatibility.
    #[serde(default)]
    #[allow(dead_code)]
    message_id: Option<String>,
    /// Also return the character span of each token.
    #[serde(default)]
    text_tokens: bool,
    /// When the message was written (RFC 3339 with an offset), for relative times
    /// ("amanhã"); default now.
    #[serde(default)]
    reference_time: Option<String>,
    /// The patient's time zone (IANA name such as `America/Sao_Paulo`, or an offset);
    /// default the built-in extractor's configured zone.
    #[serde(default)]
    timezone: Option<String>,
}

/// Longest text accepted, in characters: WhatsApp's own limit is 4,096.
const MAX_TEXT_CHARS: usize = 10_000;

/// Parses `text` with the loaded model. The body is read as JSON whatever its
/// `Content-Type`, as Rasa does, so `curl -d '{"text": ...}'` works.
pub async fn parse(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ParseResult>, ApiError> {
    let body = body.map_err(|e| ApiError::new(e.status(), "BadRequest", e.body_text()))?;
    let request: ParseRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("invalid request body: {e}")))?;
    if request.text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request(format!(
            "`text` is longer than {MAX_TEXT_CHARS} characters"
        )));
    }
    let model = state.model();
    let default_zone = model
        .builtin()
        .map(|b| b.zone().clone())
        .unwrap_or_else(|| ReferenceTime::now_default().now.time_zone().clone());
    let reference = ReferenceTime::from_request(
        request.reference_time.as_deref(),
        request.timezone.as_deref(),
        &default_zone,
    )?;
    let message = model.parse_at(&request.text, Some(reference));
    Ok(Json(message.to_parse_result(request.text_tokens)))
}
