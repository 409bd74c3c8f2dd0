//! Rasa's `action_endpoint` section of `endpoints.yml`:
//!
//! ```yaml
//! action_endpoint:
//!   url: "http://localhost:5055/webhook"
//!   token: "${ACTION_TOKEN}"   # sent as ?token=... (the name is `token_name`)
//!   headers: {X-Clinic: centro}
//!   params: {tenant: centro}
//!   basic_auth: {username: bela, password: "${ACTION_PASSWORD}"}
//!   timeout: 10                 # Bela's addition, seconds
//! ```
//!
//! `${VAR}` is replaced by the environment variable, as in Rasa. Other keys are ignored
//! with a warning (Rasa passes them on to its HTTP client).

use super::env_vars;
use bela_engine::data::{Diagnostic, Location};
use reqwest::Url;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Overrides the endpoint URL from `endpoints.yml` (or configures one without it).
pub const ACTION_ENDPOINT_ENV: &str = "BELA_ACTION_ENDPOINT";

/// Overrides the request timeout, in seconds (decimals allowed).
pub const ACTION_TIMEOUT_ENV: &str = "BELA_ACTION_TIMEOUT";

/// How long one action call may take. Rasa waits 5 minutes; a patient on WhatsApp does
/// not, so Bela gives up sooner and answers with `utter_default`.
pub const DEFAULT_ACTION_TIMEOUT: Duration = Duration::from_secs(10);

/// Where and how to call the action server.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionEndpoint {
    /// The webhook, e.g. `http://localhost:5055/webhook`.
    pub url: Url,
    /// Sent as the query parameter `token_name` when set.
    pub token: Option<String>,
    /// The query parameter carrying `token` (`token` by default, as in Rasa).
    pub token_name: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// Extra query parameters.
    pub params: Vec<(String, String)>,
    /// HTTP basic authentication: user name and password.
    pub basic_auth: Option<(String, String)>,
    /// How long one call may take.
    pub timeout: Duration,
}

/// Why the action endpoint could not be configured.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// `endpoints.yml` exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A value in `endpoints.yml` is wrong.
    #[error("{}: {}", .0.location, .0.message)]
    Invalid(Diagnostic),
    /// An environment override is wrong.
    #[error("{name}={value}: {reason}")]
    Env {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl ActionEndpoint {
    /// An endpoint at `url` with Rasa's defaults (no token, no headers, the default
    /// timeout).
    pub fn new(url: Url) -> Self {
        Self {
            url,
            token: None,
            token_name: "token".to_owned(),
            headers: Vec::new(),
            params: Vec::new(),
            basic_auth: None,
            timeout: DEFAULT_ACTION_TIMEOUT,
        }
    }

    /// The project's endpoint: `endpoints.yml` in `root` (if it exists and has an
    /// `action_endpoint`), then [`ACTION_ENDPOINT_ENV`] and [`ACTION_TIMEOUT_ENV`].
    /// `Ok(None)` when neither configures one.
    pub fn from_project(root: &Path) -> Result<Option<Self>, EndpointError> {
        let overrides = Overrides::parse(
            std::env::var(ACTION_ENDPOINT_ENV).ok().as_deref(),
            std::env::var(ACTION_TIMEOUT_ENV).ok().as_deref(),
        )?;
        let path = root.join("endpoints.yml");
        let env = |name: &str| std::env::var(name).ok();
        let from_file = match std::fs::read_to_string(&path) {
            Ok(text) => read(&text, &path, &env, overrides.url.as_ref())?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(EndpointError::Io { path, source }),
        };
        Ok(overrides.apply(from_file))
    }

    /// Reads the `action_endpoint` of an `endpoints.yml` text (`path` names it in
    /// errors; `env` resolves `${VAR}`). `Ok(None)` when the file has none.
    pub fn parse(
        text: &str,
        path: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, EndpointError> {
        read(text, path, env, None)
    }
}

/// [`ActionEndpoint::parse`], with the URL taken from `url_override` when given (the
/// file's `url` is then not read: it may name a variable that is not set).
fn read(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    url_override: Option<&Url>,
) -> Result<Option<ActionEndpoint>, EndpointError> {
    let reader = Reader {
        file: Arc::new(path.to_path_buf()),
        env,
        url_override,
    };
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        reader.error_at(
            e.marker().line(),
            e.marker().col() + 1,
            format!("invalid YAML: {}", e.info()),
        )
    })?;
    let Some(root) = docs.first() else {
        return Ok(None);
    };
    if matches!(root.data, YamlData::Value(Scalar::Null)) {
        return Ok(None);
    }
    let Some(section) = reader
        .mapping(root, "endpoints.yml")?
        .get("action_endpoint")
    else {
        return Ok(None);
    };
    if matches!(section.1.data, YamlData::Value(Scalar::Null)) {
        return Ok(None);
    }
    reader.endpoint(section.0, section.1).map(Some)
}

/// What the environment overrides.
#[derive(Debug, Default)]
struct Overrides {
    url: Option<Url>,
    timeout: Option<Duration>,
}

impl Overrides {
    /// The values of [`ACTION_ENDPOINT_ENV`] and [`ACTION_TIMEOUT_ENV`] (empty = unset).
    fn parse(url: Option<&str>, timeout: Option<&str>) -> Result<Self, EndpointError> {
        let env_error = |name, value: &str, reason: String| EndpointError::Env {
            name,
            value: value.to_owned(),
            reason,
        };
        let url = url
            .filter(|u| !u.is_empty())
            .map(|raw| parse_url(raw).map_err(|r| env_error(ACTION_ENDPOINT_ENV, raw, r)))
            .transpose()?;
        let timeout = timeout
            .filter(|t| !t.is_empty())
            .map(|raw| parse_timeout(raw).map_err(|r| env_error(ACTION_TIMEOUT_ENV, raw, r)))
            .transpose()?;
        Ok(Self { url, timeout })
    }

    /// The file's endpoint with the overrides applied; an endpoint from the URL alone
    /// when the file has none.
    fn apply(&self, from_file: Option<ActionEndpoint>) -> Option<ActionEndpoint> {
        let mut endpoint = match (&self.url, from_file) {
            (Some(url), Some(file)) => Some(ActionEndpoint {
                url: url.clone(),
                ..file
            }),
            (Some(url), None) => Some(ActionEndpoint::new(url.clone())),
            (None, file) => file,
        };
        if let (Some(endpoint), Some(timeout)) = (&mut endpoint, self.timeout) {
            endpoint.timeout = timeout;
        }
        endpoint
    }
}

/// An `http://` URL. `https://` is refused here rather than on the first call: the build
/// carries no TLS (action servers run beside Bela; a TLS proxy can front a remote one).
fn parse_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    match url.scheme() {
        "http" => Ok(url),
        "https" => Err("https action endpoints are not supported (this build has no TLS); use http:// on a private network or a TLS-terminating proxy".to_owned()),
        other => Err(format!("unsupported URL scheme `{other}`; use http://")),
    }
}

/// A positive number of seconds.
fn parse_timeout(raw: &str) -> Result<Duration, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| "the timeout must be a positive number of seconds".to_owned())
}

/// Reads located values out of `endpoints.yml`.
struct Reader<'e> {
    file: Arc<PathBuf>,
    env: &'e dyn Fn(&str) -> Option<String>,
    url_override: Option<&'e Url>,
}

impl Reader<'_> {
    fn error_at(&self, line: usize, column: usize, message: String) -> EndpointError {
        EndpointError::Invalid(Diagnostic::error(
            Location::new(self.file.clone(), line, column),
            message,
        ))
    }

    fn error(&self, node: &MarkedYaml, message: String) -> EndpointError {
        self.error_at(node.span.start.line(), node.span.start.col() + 1, message)
    }

    /// `node`'s entries, keyed by their string keys; `what` names it in the error.
    fn mapping<'n, 'i>(
        &self,
        node: &'n MarkedYaml<'i>,
        what: &str,
    ) -> Result<Entries<'n, 'i>, EndpointError> {
        let YamlData::Mapping(map) = &node.data else {
            return Err(self.error(node, format!("{what} must be a mapping")));
        };
        let mut entries = Entries::default();
        for (key, value) in map {
            match scalar(key) {
                Some(name) => entries.push(name, key, value),
                None => return Err(self.error(key, format!("the keys of {what} must be names"))),
            }
        }
        Ok(entries)
    }

    /// A scalar value as text, with `${VAR}` expanded.
    fn text(&self, key: &str, node: &MarkedYaml) -> Result<String, EndpointError> {
        let raw =
            scalar(node).ok_or_else(|| self.error(node, format!("`{key}` must be a string")))?;
        env_vars::expand(&raw, self.env).map_err(|missing| {
            self.error(
                node,
                format!(
                    "`{key}` uses environment variables that are not set: {}",
                    missing.join(", ")
                ),
            )
        })
    }

    /// A mapping of names to scalar values (`headers`, `params`).
    fn pairs(&self, key: &str, node: &MarkedYaml) -> Result<Vec<(String, String)>, EndpointError> {
        let mut out = Vec::new();
        for (name, _, value) in self.mapping(node, &format!("`{key}`"))?.iter() {
            out.push((name.to_owned(), self.text(name, value)?));
        }
        Ok(out)
    }

    fn endpoint(
        &self,
        key: &MarkedYaml,
        node: &MarkedYaml,
    ) -> Result<ActionEndpoint, EndpointError> {
        let entries = self.mapping(node, "`action_endpoint`")?;
        let url = match (self.url_override, entries.get("url")) {
            (Some(url), _) => url.clone(),
            (None, Some((_, url_node))) => {
                let raw = self.text("url", url_node)?;
                parse_url(&raw)
                    .map_err(|reason| self.error(url_node, format!("`url` {raw:?}: {reason}")))?
            }
            (None, None) => {
                return Err(self.error(key, "`action_endpoint` needs a `url`".to_owned()));
            }
        };
        let mut endpoint = ActionEndpoint::new(url);
        for (name, key_node, value) in entries.iter() {
            match name {
                "url" => {}
                "token" => endpoint.token = Some(self.text(name, value)?),
                "token_name" => endpoint.token_name = self.text(name, value)?,
                "headers" => endpoint.headers = self.pairs(name, value)?,
                "params" => endpoint.params = self.pairs(name, value)?,
                "basic_auth" => endpoint.basic_auth = Some(self.basic_auth(value)?),
                "timeout" => {
                    endpoint.timeout = parse_timeout(&self.text(name, value)?)
                        .map_err(|reason| self.error(value, format!("`timeout`: {reason}")))?;
                }
                _ => tracing::warn!(
                    "{}:{}:{}: `action_endpoint.{name}` is not used by Bela",
                    self.file.display(),
                    key_node.span.start.line(),
                    key_node.span.start.col() + 1
                ),
            }
        }
        Ok(endpoint)
    }

    fn basic_auth(&self, node: &MarkedYaml) -> Result<(String, String), EndpointError> {
        let entries = self.mapping(node, "`basic_auth`")?;
        let field = |name: &str| match entries.get(name) {
            Some((_, value)) => self.text(name, value),
            None => Err(self.error(node, format!("`basic_auth` needs a `{name}`"))),
        };
        Ok((field("username")?, field("password")?))
    }
}

/// The text of a string, number or boolean scalar (YAML reads `token: 1234` as a number;
/// Rasa sends it as text all the same).
fn scalar(node: &MarkedYaml) -> Option<String> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

/// A mapping's entries in file order, looked up by key.
#[derive(Default)]
struct Entries<'n, 'i>(Vec<(String, &'n MarkedYaml<'i>, &'n MarkedYaml<'i>)>);

impl<'n, 'i> Entries<'n, 'i> {
    fn push(&mut self, name: String, key: &'n MarkedYaml<'i>, value: &'n MarkedYaml<'i>) {
        self.0.push((name, key, value));
    }

    /// The key and value nodes of `name`.
    fn get(&self, name: &str) -> Option<(&'n MarkedYaml<'i>, &'n MarkedYaml<'i>)> {
        self.0
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, k, v)| (*k, *v))
    }

    /// Every entry, in file order.
    fn iter(&self) -> impl Iterator<Item = (&str, &'n MarkedYaml<'i>, &'n MarkedYaml<'i>)> {
        self.0.iter().map(|(n, k, v)| (n.as_str(), *k, *v))
    }
}

#[cfg(test)]
mod tests;
