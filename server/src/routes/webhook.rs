//! `POST /webhooks/rest/webhook`: Rasa's REST channel. One message in, the bot's answers
//! out, the conversation stored in between.

use crate::conversations::{OutputMessage, collect_messages};
use crate::error::ApiError;
use crate::routes::body::{JsonBody, now};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::names::SenderId;
use serde::Deserialize;
use serde_json::Value;

/// The channel name recorded on the user's events.
const CHANNEL: &str = "rest";

/// Rasa's REST channel body: `{"sender": "5511...", "message": "oi", "metadata": {...}}`.
#[derive(Debug, Deserialize)]
pub struct WebhookRequest {
    /// The conversation (Rasa's `default` when absent).
    #[serde(default = "default_sender")]
    sender: String,
    /// What the user wrote.
    message: String,
    /// Passed on to the user event and the session.
    #[serde(default)]
    metadata: Option<Value>,
}

fn default_sender() -> String {
    "default".into()
}

/// Handles one message and answers what the bot said.
pub async fn receive(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<WebhookRequest>,
) -> Result<Json<Vec<OutputMessage>>, ApiError> {
    let conversations = state.conversations()?;
    if request.sender.trim().is_empty() {
        return Err(ApiError::bad_request("`sender` must not be empty"));
    }
    let sender = SenderId::new(request.sender);
    let message = UserMessage {
        text: request.message,
        input_channel: Some(CHANNEL.into()),
        metadata: request.metadata,
        timestamp: now(),
        ..UserMessage::default()
    };
    let mut session = conversations.open(&sender).await?;
    let said = conversations
        .processor()
        .handle_message(&mut session.tracker, message)
        .await;
    session.save().await?;
    Ok(Json(collect_messages(sender.as_str(), &said)))
}
