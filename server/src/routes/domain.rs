//! `GET /domain`: the loaded dialogue model's domain, as Rasa's JSON.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::Value;

/// The domain (intents, entities, slots, responses, actions, forms, session config).
pub async fn domain(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let conversations = state.conversations()?;
    Ok(Json(conversations.processor().model().domain.to_json()))
}
