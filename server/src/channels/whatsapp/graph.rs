//! A thin typed client for the Graph API's `POST /{version}/{phone_number_id}/messages`
//! (media downloads are in [`media`](super::media)).

use crate::channels::whatsapp::config::WhatsAppSettings;
use serde::Deserialize;
use serde_json::{Value, json};

/// Meta's "too many messages" error code (also sent with HTTP 400).
const RATE_LIMITED: i64 = 130429;
/// Meta's "more than 24 hours since the customer last wrote": only templates may go.
pub const WINDOW_CLOSED: i64 = 131047;

/// Why a send failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// A timeout, a connection failure, a 5xx or a rate limit: try again later.
    #[error("temporary failure: {0}")]
    Retryable(String),
    /// Meta refused the message (bad number, closed window, bad token...): recorded.
    #[error("refused: {message}")]
    Permanent {
        /// Meta's error code, when it sent one.
        code: Option<i64>,
        /// What went wrong (the HTTP status, Meta's code and message).
        message: String,
    },
}

/// Sends messages from the configured business number.
#[derive(Debug, Clone)]
pub struct GraphClient {
    pub(super) http: reqwest::Client,
    messages_url: String,
    /// `{base}/{version}`, under which media ids resolve.
    pub(super) api_root: String,
    pub(super) access_token: String,
}

#[derive(Deserialize)]
struct Sent {
    #[serde(default)]
    messages: Vec<SentMessage>,
}

#[derive(Deserialize)]
struct SentMessage {
    id: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: GraphError,
}

#[derive(Deserialize)]
struct GraphError {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: String,
}

impl GraphClient {
    /// A client for `settings`' number and token.
    pub fn new(settings: &WhatsAppSettings) -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: crate::tls::client_builder()
                .timeout(settings.config.request_timeout)
                .build()?,
            messages_url: settings.messages_url(),
            api_root: settings.api_root(),
            access_token: settings.access_token.clone(),
        })
    }

    /// Posts one message body; returns the wamid Meta gave it.
    pub async fn send(&self, body: &Value) -> Result<String, SendError> {
        let text = self.post(body).await?;
        let sent: Sent = serde_json::from_str(&text).map_err(|e| SendError::Permanent {
            code: None,
            message: format!("unreadable success response ({e}): {text}"),
        })?;
        sent.messages
            .into_iter()
            .next()
            .map(|m| m.id)
            .ok_or_else(|| SendError::Permanent {
                code: None,
                message: format!("no message id in the response: {text}"),
            })
    }

    /// Marks inbound message `wamid` read (blue ticks) and shows the typing indicator
    /// until the reply is sent (or 25 seconds pass).
    pub async fn mark_read(&self, wamid: &str) -> Result<(), SendError> {
        let body = json!({
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": wamid,
            "typing_indicator": {"type": "text"}
        });
        self.post(&body).await.map(drop)
    }

    /// Posts `body` to the messages endpoint; the body of a 2xx answer.
    async fn post(&self, body: &Value) -> Result<String, SendError> {
        let response = self
            .http
            .post(&self.messages_url)
            .bearer_auth(&self.access_token)
            .json(body)
            .send()
            .await
            .map_err(|e| SendError::Retryable(e.to_string()))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| SendError::Retryable(e.to_string()))?;
        if status.is_success() {
            return Ok(text);
        }
        let error = serde_json::from_str::<ErrorBody>(&text)
            .ok()
            .map(|b| b.error);
        let code = error.as_ref().and_then(|e| e.code);
        let message = error.map_or(text, |e| e.message);
        let message = match code {
            Some(code) => format!("HTTP {}, error {code}: {message}", status.as_u16()),
            None => format!("HTTP {}: {message}", status.as_u16()),
        };
        if status.is_server_error() || status.as_u16() == 429 || code == Some(RATE_LIMITED) {
            Err(SendError::Retryable(message))
        } else {
            Err(SendError::Permanent { code, message })
        }
    }
}
