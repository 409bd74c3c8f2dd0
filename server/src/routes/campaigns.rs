//! `POST /campaigns/reactivation`: a reactivation campaign to a segment of leads.

use crate::error::ApiError;
use crate::jobs::{Campaign, CampaignMessage, Jobs, schedule_campaign};
use crate::leads::LeadTag;
use crate::leads::segment::MAX_LIMIT;
use crate::routes::body::{JsonBody, now};
use crate::routes::leads::stage;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

/// The body: the campaign's id, the segment (`tag`, `stage`, `inactive_days`, `limit`) and
/// either a `text` or a domain `response`.
#[derive(Debug, Deserialize)]
pub struct CampaignRequest {
    campaign: String,
    tag: Option<String>,
    stage: Option<String>,
    inactive_days: Option<u32>,
    limit: Option<u32>,
    text: Option<String>,
    response: Option<String>,
}

/// Schedules one reactivation job per lead of the segment (once per lead per campaign:
/// posting it again schedules only leads that joined the segment since). The scheduler
/// sends them on its next look. Answers `{campaign, leads, scheduled}`.
pub async fn reactivation(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<CampaignRequest>,
) -> Result<Json<Value>, ApiError> {
    let conversations = state.conversations()?;
    let id = request.campaign.trim();
    if id.is_empty() || id.contains(':') {
        return Err(ApiError::bad_request(
            "`campaign` must be a non-empty id without `:`",
        ));
    }
    let message = match (request.text, request.response) {
        (Some(text), None) if !text.trim().is_empty() => CampaignMessage::Text(text),
        (None, Some(response)) => {
            let domain = &conversations.processor().model().domain;
            if domain.response(&response).is_none() {
                return Err(ApiError::bad_request(format!(
                    "the response `{response}` does not exist in the domain"
                )));
            }
            CampaignMessage::Response(response)
        }
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of `text` (not empty) and `response`",
            ));
        }
    };
    let limit = request.limit.unwrap_or(MAX_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "`limit={limit}` must be between 1 and {MAX_LIMIT}"
        )));
    }
    let campaign = Campaign {
        id: id.to_owned(),
        segment: crate::leads::Segment {
            tag: request
                .tag
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(LeadTag::new),
            stage: request.stage.as_deref().map(stage).transpose()?,
            inactive_days: request.inactive_days,
            limit,
        },
        message,
    };
    let jobs = Jobs::new(conversations.store().clone());
    let done = schedule_campaign(&jobs, conversations.leads(), &campaign, now())
        .await
        .map_err(|e| ApiError::internal(&e))?;
    Ok(Json(json!({
        "campaign": campaign.id,
        "leads": done.leads,
        "scheduled": done.scheduled,
    })))
}
