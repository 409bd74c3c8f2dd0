//! `GET /`, `/health`, `/version`, `/status`.

use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use std::path::Path;

/// Rasa answers `GET /` with a greeting; load balancers use it as a liveness probe.
pub async fn hello() -> String {
    format!("Hello from Bela: {}", env!("CARGO_PKG_VERSION"))
}

/// Liveness and readiness: the model is loaded once the server listens.
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Rasa's `/version` shape.
pub async fn version() -> Json<Value> {
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "minimum_compatible_version": env!("CARGO_PKG_VERSION"),
    }))
}

/// Rasa's `/status` shape: which models are loaded (the dialogue model's fields are
/// `null` for an NLU-only project).
pub async fn status(State(state): State<AppState>) -> Json<Value> {
    let meta = state.model().metadata();
    let dialogue = state.dialogue();
    let dialogue_dir = dialogue.map(|c| c.dialogue_dir());
    Json(json!({
        "model_id": dir_name(state.model_dir()),
        "model_file": state.model_dir().display().to_string(),
        "dialogue_model_id": dialogue_dir.and_then(dir_name),
        "dialogue_model_file": dialogue_dir.map(|d| d.display().to_string()),
        "num_active_training_jobs": 0,
        "fingerprint": {
            "nlu": meta.fingerprint,
            "trained_at": meta.trained_at,
            "format_version": meta.format_version,
            "dialogue": dialogue.map(|c| &c.processor().model().metadata.fingerprint),
        },
    }))
}

/// A model's id: its directory's name.
fn dir_name(dir: &Path) -> Option<String> {
    dir.file_name().map(|n| n.to_string_lossy().into_owned())
}
