//! Server settings: defaults, overridden by `BELA_*` environment variables, overridden by
//! the command line (the CLI fills them in).

use std::net::{IpAddr, Ipv4Addr};

/// How the server listens and who may call it.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Interface to bind (`0.0.0.0` by default, as Rasa).
    pub host: IpAddr,
    /// Port (5005 by default, as Rasa; 0 picks a free one).
    pub port: u16,
    /// When set, every request must carry `?token=<this>` (Rasa's `--auth-token`).
    pub auth_token: Option<String>,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port: 5005,
            auth_token: None,
            max_body_bytes: 1024 * 1024,
        }
    }
}

impl Settings {
    /// Defaults overridden by `BELA_HOST`, `BELA_PORT`, `BELA_AUTH_TOKEN`,
    /// `BELA_MAX_BODY_BYTES`. Unparsable values are errors, not silently ignored.
    pub fn from_env() -> Result<Self, String> {
        let mut s = Self::default();
        if let Ok(v) = std::env::var("BELA_HOST") {
            s.host = v.parse().map_err(|e| format!("BELA_HOST={v}: {e}"))?;
        }
        if let Ok(v) = std::env::var("BELA_PORT") {
            s.port = v.parse().map_err(|e| format!("BELA_PORT={v}: {e}"))?;
        }
        if let Ok(v) = std::env::var("BELA_AUTH_TOKEN") {
            s.auth_token = Some(v).filter(|t| !t.is_empty());
        }
        if let Ok(v) = std::env::var("BELA_MAX_BODY_BYTES") {
            s.max_body_bytes = v
                .parse()
                .map_err(|e| format!("BELA_MAX_BODY_BYTES={v}: {e}"))?;
        }
        Ok(s)
    }
}
