//! What every request handler can reach.

use crate::conversations::Conversations;
use crate::error::ApiError;
use bela_engine::nlu::model::NluModel;
use std::path::PathBuf;
use std::sync::Arc;

/// Shared server state: the NLU model and, when the project has a dialogue model, the
/// conversations.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    conversations: Option<Arc<Conversations>>,
}

struct Inner {
    model: Arc<NluModel>,
    model_dir: PathBuf,
    auth_token: Option<String>,
}

impl AppState {
    /// State serving `model`, loaded from `model_dir` (NLU only until
    /// [`with_conversations`](Self::with_conversations)).
    pub fn new(
        model: impl Into<Arc<NluModel>>,
        model_dir: PathBuf,
        auth_token: Option<String>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                model: model.into(),
                model_dir,
                auth_token,
            }),
            conversations: None,
        }
    }

    /// The same state, also serving the conversation endpoints over `conversations`.
    pub fn with_conversations(mut self, conversations: Conversations) -> Self {
        self.conversations = Some(Arc::new(conversations));
        self
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

    /// The conversations, if a dialogue model is loaded.
    pub fn dialogue(&self) -> Option<&Conversations> {
        self.conversations.as_deref()
    }

    /// A shared handle on the conversations (for channels' background tasks).
    pub fn conversations_handle(&self) -> Option<Arc<Conversations>> {
        self.conversations.clone()
    }

    /// The conversations, or the 409 Rasa answers when no dialogue model is loaded.
    pub fn conversations(&self) -> Result<&Conversations, ApiError> {
        self.dialogue().ok_or_else(|| {
            ApiError::conflict(
                "no dialogue model is loaded: add a domain with stories or rules to the \
                 project and run `bela train`",
            )
        })
    }
}
