//! [`RemoteActions`]: runs custom actions on a Rasa action server over HTTP.

use super::endpoint::{ActionEndpoint, EndpointError};
use super::wire;
use bela_engine::dialogue::actions::{
    ActionContext, ActionError, ActionResult, ActionServer, BoxFuture,
};
use bela_engine::names::ActionName;
use reqwest::StatusCode;
use std::path::Path;

/// The Rasa version Bela announces in the request's `version`: Rasa SDK compares it with
/// its own to warn about incompatible pairs, and Bela speaks the 3.x protocol.
pub const RASA_PROTOCOL_VERSION: &str = "3.6.21";

/// Longest part of an unexpected answer body quoted in the log.
const LOGGED_BODY_CHARS: usize = 300;

/// An action server client: `POST {url}` per action.
#[derive(Debug, Clone)]
pub struct RemoteActions {
    endpoint: ActionEndpoint,
    client: reqwest::Client,
}

impl RemoteActions {
    /// A client for `endpoint`.
    pub fn new(endpoint: ActionEndpoint) -> Self {
        crate::tls::install_crypto_provider();
        Self {
            endpoint,
            client: reqwest::Client::new(),
        }
    }

    /// The project's action server (see [`ActionEndpoint::from_project`]); `Ok(None)`
    /// when none is configured.
    pub fn from_project(root: &Path) -> Result<Option<Self>, EndpointError> {
        Ok(ActionEndpoint::from_project(root)?.map(Self::new))
    }

    /// Where the actions run.
    pub fn endpoint(&self) -> &ActionEndpoint {
        &self.endpoint
    }

    async fn call(
        &self,
        name: &ActionName,
        ctx: &ActionContext<'_>,
    ) -> Result<ActionResult, ActionError> {
        let url = &self.endpoint.url;
        let failed = |reason: String| {
            tracing::error!(action = %name, %url, "custom action failed: {reason}");
            ActionError::Failed {
                action: name.clone(),
                reason,
            }
        };
        let response = self
            .request(wire::request_body(name, ctx, RASA_PROTOCOL_VERSION))
            .send()
            .await
            .map_err(|e| failed(describe_send_error(&e, &self.endpoint)))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| failed(format!("the answer could not be read: {e}")))?;
        if status == StatusCode::BAD_REQUEST
            && let Ok(rejection) = serde_json::from_slice::<wire::Rejection>(&body)
        {
            let reason = rejection
                .error
                .unwrap_or_else(|| "no reason given".to_owned());
            tracing::info!(action = %rejection.action_name, "the action server rejected the action: {reason}");
            return Err(ActionError::Rejected {
                action: name.clone(),
                reason,
            });
        }
        if !status.is_success() {
            return Err(failed(format!(
                "the action server answered {status}: {}",
                excerpt(&body)
            )));
        }
        let answer: wire::Answer = serde_json::from_slice(&body).map_err(|e| {
            failed(format!(
                "the answer is not `{{\"events\": [...], \"responses\": [...]}}` ({e}): {}",
                excerpt(&body)
            ))
        })?;
        Ok(ActionResult {
            replies: wire::replies(name, answer.responses),
            events: wire::events(name, answer.events, ctx.now),
        })
    }

    /// The POST with the endpoint's token, parameters, headers and credentials.
    fn request(&self, body: serde_json::Value) -> reqwest::RequestBuilder {
        let endpoint = &self.endpoint;
        let token = endpoint.token.as_ref().map(|t| (&endpoint.token_name, t));
        let query: Vec<_> = endpoint
            .params
            .iter()
            .map(|(k, v)| (k, v))
            .chain(token)
            .collect();
        let mut url = endpoint.url.clone();
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self.client.post(url).timeout(endpoint.timeout).json(&body);
        for (name, value) in &endpoint.headers {
            request = request.header(name, value);
        }
        if let Some((user, password)) = &endpoint.basic_auth {
            request = request.basic_auth(user, Some(password));
        }
        request
    }
}

impl ActionServer for RemoteActions {
    fn run<'a>(
        &'a self,
        name: &'a ActionName,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(self.call(name, ctx))
    }
}

/// A sentence for a request that got no answer.
fn describe_send_error(e: &reqwest::Error, endpoint: &ActionEndpoint) -> String {
    if e.is_timeout() {
        format!(
            "no answer within {:.1} s (set `timeout` in endpoints.yml or BELA_ACTION_TIMEOUT)",
            endpoint.timeout.as_secs_f64()
        )
    } else if e.is_connect() {
        format!(
            "cannot connect to the action server at {} — is it running? ({e})",
            endpoint.url
        )
    } else if e.is_builder() {
        format!("the request could not be built (check `headers` in endpoints.yml): {e}")
    } else {
        format!("the request failed: {e}")
    }
}

/// The start of an answer body, for the log.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(LOGGED_BODY_CHARS).collect();
    if text.chars().nth(LOGGED_BODY_CHARS).is_some() {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(empty body)");
    }
    out
}
