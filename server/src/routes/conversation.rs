//! Rasa's conversation control endpoints: `POST /conversations/{id}/trigger_intent`,
//! `/predict` and `/execute`.

use crate::conversations::collect_messages;
use crate::error::ApiError;
use crate::routes::body::{JsonBody, QueryParams, now};
use crate::routes::tracker::TrackerQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use bela_engine::dialogue::events::{BotUttered, ParseData};
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::{ActionName, IntentName, SenderId};
use bela_engine::nlu::{IntentScore, ParsedEntity};
use serde::Deserialize;
use serde_json::{Value, json};

/// Rasa's prefix for the text of a triggered intent.
const EXTERNAL_MESSAGE_PREFIX: &str = "EXTERNAL: ";

/// The body of `trigger_intent`: the intent and its entities, either an object
/// (`{"procedure": "botox"}`) or Rasa's list (`[{"entity": "procedure", "value": "botox"}]`).
#[derive(Debug, Deserialize)]
pub struct TriggerRequest {
    name: IntentName,
    #[serde(default)]
    entities: Option<Value>,
}

/// `POST /conversations/{id}/trigger_intent`: the user "said" the intent; the bot acts
/// on it as on a message. Answers `{tracker, messages}`.
pub async fn trigger_intent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
    JsonBody(request): JsonBody<TriggerRequest>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    let conversations = state.conversations()?;
    let processor = conversations.processor();
    if processor.model().domain.intent(&request.name).is_none() {
        return Err(ApiError::not_found(format!(
            "the intent `{}` does not exist in the domain",
            request.name
        )));
    }
    let intent = IntentScore {
        name: request.name.clone(),
        confidence: 1.0,
    };
    let message = UserMessage {
        text: format!("{EXTERNAL_MESSAGE_PREFIX}{}", request.name),
        metadata: Some(json!({"is_external": true})),
        parse_data: Some(ParseData {
            intent: Some(intent.clone()),
            entities: read_entities(request.entities)?,
            intent_ranking: vec![intent],
            ..ParseData::default()
        }),
        timestamp: now(),
        ..UserMessage::default()
    };
    let mut session = conversations.open(&SenderId::new(id)).await?;
    let said = processor
        .handle_message(&mut session.tracker, message)
        .await;
    answer(&query, &session.save().await?, &said)
}

/// Entities given as an object or as Rasa's list of `{entity, value}`.
fn read_entities(entities: Option<Value>) -> Result<Vec<ParsedEntity>, ApiError> {
    let list = match entities {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(object)) => object
            .into_iter()
            .map(|(entity, value)| json!({"entity": entity, "value": value}))
            .collect(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "`entities` must be an object or a list, not `{other}`"
            )));
        }
    };
    list.into_iter()
        .map(|e| {
            serde_json::from_value(e)
                .map_err(|e| ApiError::bad_request(format!("invalid entity: {e}")))
        })
        .collect()
}

/// `POST /conversations/{id}/predict`: the next action and the policy that picks it.
/// Nothing is stored; a new conversation is predicted as if its session had started.
pub async fn predict(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    let conversations = state.conversations()?;
    let processor = conversations.processor();
    let mut tracker = conversations.load(&SenderId::new(id)).await?;
    if tracker.events().is_empty() {
        processor
            .start_session(&mut tracker, None, None, now())
            .await;
    }
    let prediction = processor.predict(&tracker);
    let Json(tracker) = query.render(&tracker)?;
    // As Rasa: every action of the domain, best first. The policies pick one action
    // rather than rank them all, so the others score 0.
    let others = processor
        .model()
        .domain
        .action_names()
        .into_iter()
        .filter(|a| *a != prediction.action)
        .map(|a| json!({"action": a, "score": 0.0}));
    let scores: Vec<Value> =
        std::iter::once(json!({"action": prediction.action, "score": prediction.confidence}))
            .chain(others)
            .collect();
    Ok(Json(json!({
        "scores": scores,
        "policy": prediction.policy,
        "confidence": prediction.confidence,
        "tracker": tracker,
    })))
}

/// The body of `execute`: the action, and the policy and confidence to record (accepted
/// for compatibility; the event records the `Manual` policy).
#[derive(Debug, Deserialize)]
pub struct ExecuteRequest {
    name: ActionName,
    #[serde(default)]
    #[allow(dead_code)]
    policy: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    confidence: Option<f32>,
}

/// `POST /conversations/{id}/execute`: runs one action (no prediction after it, as in
/// Rasa). Answers `{tracker, messages}`; a failed action stores nothing.
pub async fn execute(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
    JsonBody(request): JsonBody<ExecuteRequest>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    let conversations = state.conversations()?;
    let domain = &conversations.processor().model().domain;
    if !domain.has_action(request.name.as_str()) {
        return Err(ApiError::not_found(format!(
            "the action `{}` does not exist in the domain",
            request.name
        )));
    }
    let mut session = conversations.open(&SenderId::new(id)).await?;
    let now = now();
    session.start_if_new(None, now).await;
    let said = conversations
        .processor()
        .execute_action(&mut session.tracker, &request.name, None, now, false)
        .await?;
    answer(&query, &session.save().await?, &said)
}

/// `{tracker, messages}`, as Rasa answers `trigger_intent` and `execute`.
fn answer(
    query: &TrackerQuery,
    tracker: &Tracker,
    said: &[BotUttered],
) -> Result<Json<Value>, ApiError> {
    let Json(tracker_json) = query.render(tracker)?;
    Ok(Json(json!({
        "tracker": tracker_json,
        "messages": collect_messages(tracker.sender_id().as_str(), said),
    })))
}
