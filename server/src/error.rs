//! HTTP errors in Rasa's JSON shape: `{version, status: "failure", message, reason,
//! details, help, code}`. Engine user errors map to 4xx, internal ones to 500.

use crate::store::StoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bela_engine::dialogue::actions::ActionError;
use serde_json::json;

/// An error answered to an HTTP client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    reason: &'static str,
    message: String,
}

impl ApiError {
    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 401: missing or wrong credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "NotAuthenticated", message)
    }

    /// 404: no such resource.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", message)
    }

    /// 409: the server cannot do that now (Rasa's answer when no dialogue model is loaded).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", message)
    }

    /// 500: an internal fault, logged; the client learns only that it happened.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "an internal error occurred; see the server log",
        )
    }

    /// Any status, with Rasa's reason word.
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            reason,
            message: message.into(),
        }
    }
}

impl From<bela_engine::Error> for ApiError {
    fn from(e: bela_engine::Error) -> Self {
        if e.is_user_error() {
            Self::bad_request(e.to_string())
        } else {
            Self::internal(&e)
        }
    }
}

impl From<crate::leads::LeadError> for ApiError {
    fn from(e: crate::leads::LeadError) -> Self {
        match e {
            crate::leads::LeadError::Store(e) => e.into(),
            other => Self::internal(&other),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if e.is_user_error() {
            Self::bad_request(e.to_string())
        } else if e.is_conflict() {
            // Only a writer bypassing the conversation lock can get here: retrying works.
            Self::conflict(e.to_string())
        } else {
            Self::internal(&e)
        }
    }
}

impl From<ActionError> for ApiError {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::Unknown(_) => Self::not_found(e.to_string()),
            ActionError::Rejected { .. } => Self::bad_request(e.to_string()),
            ActionError::Failed { .. } => Self::internal(&e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "version": env!("CARGO_PKG_VERSION"),
            "status": "failure",
            "message": self.message,
            "reason": self.reason,
            "details": {},
            "help": null,
            "code": self.status.as_u16(),
        });
        (self.status, Json(body)).into_response()
    }
}
