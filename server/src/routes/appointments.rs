//! The staff's calendar: `GET /appointments` (what starts in a period) and
//! `PUT /appointments/{id}/status` (confirm, cancel, mark attended or no-show). Marking
//! an appointment attended moves the patient's lead to `attended` and is what starts
//! the post-procedure follow-ups.

use crate::calendar::SqlCalendar;
use crate::error::ApiError;
use crate::leads::LeadStage;
use crate::routes::body::{JsonBody, QueryParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use bela_clinic::calendar::{Appointment, AppointmentId, AppointmentStatus, CalendarError};
use bela_engine::names::SenderId;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::{Value, json};

/// How far `GET /appointments` looks without a `to`.
const DEFAULT_DAYS: i64 = 7;

/// The query of `GET /appointments`: RFC 3339 instants.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

fn instant(name: &str, text: &str) -> Result<Timestamp, ApiError> {
    text.parse().map_err(|e| {
        ApiError::bad_request(format!(
            "`{name}={text}` is not an RFC 3339 instant like 2026-12-01T09:00:00-03:00: {e}"
        ))
    })
}

fn calendar(state: &AppState) -> Result<SqlCalendar, ApiError> {
    Ok(SqlCalendar::new(state.conversations()?.store().clone()))
}

fn to_json(a: &Appointment) -> Value {
    json!({
        "id": a.id.as_str(),
        "patient": a.patient,
        "patient_name": a.patient_name,
        "procedure": a.procedure.as_str(),
        "start": a.start.timestamp().to_string(),
        "end": a.end.timestamp().to_string(),
        "status": a.status.as_str(),
        "created_at": a.created_at.to_string(),
    })
}

fn calendar_error(e: CalendarError) -> ApiError {
    match e {
        CalendarError::NotFound(id) => ApiError::not_found(format!("no appointment `{id}`")),
        other => ApiError::internal(&other),
    }
}

/// `GET /appointments?from=...&to=...`: every appointment starting in `[from, to)`
/// (default: from now, for 7 days), cancelled ones included, earliest first.
pub async fn list(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<PeriodQuery>,
) -> Result<Json<Vec<Value>>, ApiError> {
    let from = match &query.from {
        Some(text) => instant("from", text)?,
        None => Timestamp::now(),
    };
    let to = match &query.to {
        Some(text) => instant("to", text)?,
        None => from
            .checked_add(SignedDuration::from_hours(24 * DEFAULT_DAYS))
            .unwrap_or(Timestamp::MAX),
    };
    if to <= from {
        return Err(ApiError::bad_request("`to` must be after `from`"));
    }
    let found = calendar(&state)?
        .starting_between(from, to)
        .await
        .map_err(calendar_error)?;
    Ok(Json(found.iter().map(to_json).collect()))
}

/// The body of `PUT /appointments/{id}/status`.
#[derive(Debug, Deserialize)]
pub struct StatusRequest {
    status: String,
}

/// `PUT /appointments/{id}/status` `{"status": "attended"}`.
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<StatusRequest>,
) -> Result<Json<Value>, ApiError> {
    let status = AppointmentStatus::parse(&request.status).ok_or_else(|| {
        let names: Vec<&str> = AppointmentStatus::ALL.iter().map(|s| s.as_str()).collect();
        ApiError::bad_request(format!(
            "`status={}` is not one of {}",
            request.status,
            names.join(", ")
        ))
    })?;
    let updated = calendar(&state)?
        .set_status_as_staff(&AppointmentId::new(id), status)
        .await
        .map_err(calendar_error)?;
    if status == AppointmentStatus::Attended {
        let leads = state.conversations()?.leads();
        let patient = SenderId::new(updated.patient.as_str());
        if let Err(error) = leads.set_stage(&patient, LeadStage::Attended).await {
            tracing::warn!(%patient, %error, "the lead could not be moved to attended");
        }
    }
    Ok(Json(to_json(&updated)))
}
