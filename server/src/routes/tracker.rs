//! Rasa's tracker endpoints: `GET /conversations/{id}/tracker`,
//! `POST|PUT /conversations/{id}/tracker/events`, `POST /conversations/{id}/messages`.

use crate::error::ApiError;
use crate::routes::body::{JsonBody, QueryParams, now};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use bela_engine::dialogue::events::{Event, ParseData};
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::dialogue::tracker::{EventVerbosity, Tracker};
use bela_engine::names::SenderId;
use serde::Deserialize;
use serde_json::{Value, json};

/// The query of the tracker endpoints: `include_events` (Rasa's `EventVerbosity`, default
/// `AFTER_RESTART`) and, for `GET`, `until` (a timestamp: the tracker as it was then).
#[derive(Debug, Default, Deserialize)]
pub struct TrackerQuery {
    include_events: Option<String>,
    until: Option<f64>,
}

impl TrackerQuery {
    /// Which events the answer includes.
    pub fn verbosity(&self) -> Result<EventVerbosity, ApiError> {
        match &self.include_events {
            None => Ok(EventVerbosity::default()),
            Some(v) => EventVerbosity::parse(v).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`include_events={v}` is not one of ALL, AFTER_RESTART, APPLIED, NONE"
                ))
            }),
        }
    }

    /// `tracker` as JSON at the requested verbosity.
    pub fn render(&self, tracker: &Tracker) -> Result<Json<Value>, ApiError> {
        Ok(Json(tracker.to_json(self.verbosity()?)))
    }
}

/// `GET /conversations/{id}/tracker`: the conversation; a new one is started (and stored)
/// first, as Rasa does.
pub async fn get_tracker(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    let conversations = state.conversations()?;
    let sender = SenderId::new(id);
    let mut tracker = conversations.load(&sender).await?;
    if tracker.events().is_empty() {
        let mut session = conversations.open(&sender).await?;
        session.start_if_new(None, now()).await;
        tracker = session.save().await?;
    }
    if let Some(until) = query.until {
        let past = tracker
            .events()
            .iter()
            .filter(|e| e.timestamp <= until)
            .cloned()
            .collect();
        tracker = conversations.tracker_of(&sender, past);
    }
    query.render(&tracker)
}

/// `POST /conversations/{id}/tracker/events`: appends one event or a list of them. The
/// whole body is checked first: one bad event and nothing is stored.
pub async fn append_events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    let conversations = state.conversations()?;
    let events = read_events(body)?;
    let mut session = conversations.open(&SenderId::new(id)).await?;
    let now = now();
    session.start_if_new(None, now).await;
    session.tracker.extend(events);
    query.render(&session.save().await?)
}

/// `PUT /conversations/{id}/tracker/events`: replaces the conversation with the given
/// list of events.
pub async fn replace_events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    let conversations = state.conversations()?;
    if !body.is_array() {
        return Err(ApiError::bad_request(
            "the body must be a list of events, e.g. [{\"event\": \"user\", \"text\": \"oi\"}]",
        ));
    }
    let events = read_events(body)?;
    let session = conversations.open(&SenderId::new(id)).await?;
    query.render(&session.replace(events).await?)
}

/// Reads a body of one event or a list as events; events without a timestamp get the
/// current time, as in Rasa.
fn read_events(body: Value) -> Result<Vec<Event>, ApiError> {
    let items = match body {
        Value::Array(items) => items,
        one => vec![one],
    };
    let now = now();
    items
        .into_iter()
        .enumerate()
        .map(|(i, mut item)| {
            if let Some(object) = item.as_object_mut()
                && !object.contains_key("timestamp")
            {
                object.insert("timestamp".into(), json!(now));
            }
            serde_json::from_value(item)
                .map_err(|e| ApiError::bad_request(format!("event {i}: {e}")))
        })
        .collect()
}

/// The body of `POST /conversations/{id}/messages`.
#[derive(Debug, Deserialize)]
pub struct MessageRequest {
    text: String,
    sender: String,
    #[serde(default)]
    parse_data: Option<ParseData>,
}

/// `POST /conversations/{id}/messages`: records a user message (parsed by the NLU unless
/// `parse_data` is given) without running any action.
pub async fn add_message(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TrackerQuery>,
    JsonBody(request): JsonBody<MessageRequest>,
) -> Result<Json<Value>, ApiError> {
    query.verbosity()?;
    if request.sender != "user" {
        return Err(ApiError::bad_request(format!(
            "only user messages can be added to a conversation, not messages of sender `{}`",
            request.sender
        )));
    }
    let conversations = state.conversations()?;
    let message = UserMessage {
        text: request.text,
        parse_data: request.parse_data,
        timestamp: now(),
        ..UserMessage::default()
    };
    let mut session = conversations.open(&SenderId::new(id)).await?;
    conversations
        .processor()
        .log_message(&mut session.tracker, &message)
        .await;
    query.render(&session.save().await?)
}
