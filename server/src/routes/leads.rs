//! The leads: `GET /leads` (a segment), `GET /leads/{sender}`, and
//! `PUT /leads/{sender}/stage` (staff set a stage).

use crate::error::ApiError;
use crate::leads::segment::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::leads::{Lead, LeadStage, LeadTag, Segment};
use crate::routes::body::{JsonBody, QueryParams, now};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use bela_engine::names::SenderId;
use serde::Deserialize;

/// The query of `GET /leads`: `tag`, `stage`, `inactive_days`, `limit`.
#[derive(Debug, Default, Deserialize)]
pub struct SegmentQuery {
    tag: Option<String>,
    stage: Option<String>,
    inactive_days: Option<u32>,
    limit: Option<u32>,
}

impl SegmentQuery {
    /// The segment asked for, or a 400 saying which parameter is wrong.
    fn segment(self) -> Result<Segment, ApiError> {
        let tag = match self.tag.as_deref().map(str::trim) {
            Some("") => return Err(ApiError::bad_request("`tag` must not be empty")),
            other => other.map(LeadTag::new),
        };
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "`limit={limit}` must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok(Segment {
            tag,
            stage: self.stage.as_deref().map(stage).transpose()?,
            inactive_days: self.inactive_days,
            limit,
        })
    }
}

pub(crate) fn stage(name: &str) -> Result<LeadStage, ApiError> {
    LeadStage::parse(name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "`stage={name}` is not one of {}",
            LeadStage::names()
        ))
    })
}

/// `GET /leads?tag=botox&stage=quoted&inactive_days=30&limit=100`: the leads matching
/// every filter given, the most recently contacted first.
pub async fn list(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<SegmentQuery>,
) -> Result<Json<Vec<Lead>>, ApiError> {
    let segment = query.segment()?;
    let leads = state.conversations()?.leads();
    Ok(Json(leads.segment(&segment, now()).await?))
}

/// `GET /leads/{sender}`: one lead, or 404.
pub async fn get(
    State(state): State<AppState>,
    Path(sender): Path<String>,
) -> Result<Json<Lead>, ApiError> {
    let leads = state.conversations()?.leads();
    leads
        .get(&SenderId::new(sender.as_str()))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no lead `{sender}`")))
}

/// The body of `PUT /leads/{sender}/stage`.
#[derive(Debug, Deserialize)]
pub struct StageRequest {
    stage: String,
}

/// `PUT /leads/{sender}/stage` `{"stage": "attended"}`: sets the stage, forward or back.
pub async fn set_stage(
    State(state): State<AppState>,
    Path(sender): Path<String>,
    JsonBody(request): JsonBody<StageRequest>,
) -> Result<Json<Lead>, ApiError> {
    let stage = stage(&request.stage)?;
    let leads = state.conversations()?.leads();
    leads
        .set_stage(&SenderId::new(sender.as_str()), stage)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no lead `{sender}`")))
}
