//! `POST /model/parse`: Rasa's NLU parse endpoint.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
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
    let message = state.model().parse(&request.text);
    Ok(Json(message.to_parse_result(request.text_tokens)))
}
