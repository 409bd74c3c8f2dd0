//! What every request handler can reach.

use bela_engine::nlu::model::NluModel;
use std::path::PathBuf;
use std::sync::Arc;

/// Shared, read-only server state.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    model: NluModel,
    model_dir: PathBuf,
    auth_token: Option<String>,
}

impl AppState {
    /// State serving `model`, loaded from `model_dir`.
    pub fn new(model: NluModel, model_dir: PathBuf, auth_token: Option<String>) -> Self {
        Self {
            inner: Arc::new(Inner {
                model,
                model_dir,
                auth_token,
            }),
        }
    }

    /// The NLU model.
    pub fn model(&self) -> &NluModel {
        &self.inner.model
    }

    /// Where the model was loaded from.
    pub fn model_dir(&self) -> &PathBuf {
        &self.inner.model_dir
    }

    /// The token requests must carry, if any.
    pub fn auth_token(&self) -> Option<&str> {
        self.inner.auth_token.as_deref()
    }
}
