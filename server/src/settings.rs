//! Server settings: defaults, overridden by `BELA_*` environment variables, overridden by
//! the command line (the CLI fills them in).

use crate::channels::whatsapp::WhatsAppConfig;
use crate::jobs::JobSettings;
use crate::transcription::TranscriptionConfig;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

/// The SQLite file conversations go to when no `DATABASE_URL` is set, relative to the
/// project directory (created with its directory on first run).
pub const DEFAULT_SQLITE_FILE: &str = ".bela/bela.db";

/// How the server listens and who may call it.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Interface to bind (`0.0.0.0` by default, as Rasa).
    pub host: IpAddr,
    /// Port (5005 by default, as Rasa; 0 picks a free one).
    pub port: u16,
    /// When set, every request must carry `?token=<this>` (Rasa's `--auth-token`).
    pub auth_token: Option<String>,
    /// Rasa's `--jwt-secret` (env `BELA_JWT_SECRET`): when set, requests may
    /// authenticate with `Authorization: Bearer <JWT>` signed with it, carrying
    /// `{"user": {"username", "role": "admin"|"user"}}`.
    pub jwt_secret: Option<String>,
    /// Rasa's `--jwt-method` (env `BELA_JWT_METHOD`): how the JWTs are signed.
    pub jwt_method: JwtMethod,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Where conversations are stored (env `DATABASE_URL`): `postgres://USER@HOST/DB`
    /// (several server processes may share it), `sqlite://PATH` or `sqlite::memory:`.
    /// `None` (the default) means the SQLite file [`DEFAULT_SQLITE_FILE`] in the project;
    /// see [`Settings::database_url_in`].
    pub database_url: Option<String>,
    /// Where cross-process conversation locks live (env `BELA_LOCK_STORE`): a
    /// `redis://HOST[:PORT]` URL. `None` (the default) means PostgreSQL advisory locks when
    /// the database is PostgreSQL, in-process locks for SQLite.
    pub lock_store_url: Option<String>,
    /// The WhatsApp Cloud API channel (env `WHATSAPP_*`); off unless its secrets are set.
    pub whatsapp: WhatsAppConfig,
    /// Speech-to-text for voice notes (env `BELA_TRANSCRIBE_*`, `BELA_WHISPER_MODEL_DIR`);
    /// none unless configured.
    pub transcription: TranscriptionConfig,
    /// Scheduled jobs (env `BELA_JOBS`, `BELA_JOBS_INTERVAL_SECONDS`; the reminder and
    /// follow-up times come from clinic.yml). Off by default, on from the environment.
    pub jobs: JobSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port: 5005,
            auth_token: None,
            jwt_secret: None,
            jwt_method: JwtMethod::default(),
            max_body_bytes: 1024 * 1024,
            database_url: None,
            lock_store_url: None,
            whatsapp: WhatsAppConfig::default(),
            transcription: TranscriptionConfig::default(),
            jobs: JobSettings::default(),
        }
    }
}

impl Settings {
    /// Defaults overridden by `BELA_HOST`, `BELA_PORT`, `BELA_AUTH_TOKEN`,
    /// `BELA_JWT_SECRET`, `BELA_JWT_METHOD`, `BELA_MAX_BODY_BYTES`, `DATABASE_URL`,
    /// `BELA_LOCK_STORE`, `BELA_JOBS`, `BELA_JOBS_INTERVAL_SECONDS`, the `WHATSAPP_*` and
    /// the transcription variables. Unparsable values are
    /// errors, not silently ignored.
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
        if let Ok(v) = std::env::var("BELA_JWT_SECRET") {
            s.jwt_secret = Some(v).filter(|t| !t.is_empty());
        }
        if let Ok(v) = std::env::var("BELA_JWT_METHOD") {
            s.jwt_method = v.parse().map_err(|e| format!("BELA_JWT_METHOD={v}: {e}"))?;
        }
        if let Ok(v) = std::env::var("BELA_MAX_BODY_BYTES") {
            s.max_body_bytes = v
                .parse()
                .map_err(|e| format!("BELA_MAX_BODY_BYTES={v}: {e}"))?;
        }
        if let Ok(v) = std::env::var("DATABASE_URL") {
            s.database_url = Some(v).filter(|u| !u.is_empty());
        }
        if let Ok(v) = std::env::var("BELA_LOCK_STORE") {
            s.lock_store_url = Some(v).filter(|u| !u.is_empty());
        }
        s.whatsapp = s.whatsapp.with_env();
        s.transcription = s.transcription.with_env()?;
        s.jobs = s.jobs.with_env()?;
        Ok(s)
    }

    /// The database URL for the project in `project_dir`: `database_url` if set, else a
    /// `sqlite://` URL of [`DEFAULT_SQLITE_FILE`] there.
    pub fn database_url_in(&self, project_dir: &Path) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => sqlite_url(&project_dir.join(DEFAULT_SQLITE_FILE)),
        }
    }
}

/// How JWTs are signed: the HMAC methods, which take a shared secret as Rasa's
/// `--jwt-secret` does. (Rasa's RS*/ES* methods need a public key file instead.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JwtMethod {
    /// HMAC-SHA256, Rasa's default.
    #[default]
    HS256,
    /// HMAC-SHA384.
    HS384,
    /// HMAC-SHA512.
    HS512,
}

impl std::str::FromStr for JwtMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "HS256" => Ok(Self::HS256),
            "HS384" => Ok(Self::HS384),
            "HS512" => Ok(Self::HS512),
            _ => Err(format!(
                "unsupported JWT method `{s}`; Bela signs with a shared secret: HS256, HS384 or HS512"
            )),
        }
    }
}

/// A `sqlite://` URL for `file`, escaping what a URL would otherwise cut (`?`, `#`, `%`).
fn sqlite_url(file: &Path) -> String {
    let mut url = String::from("sqlite://");
    for c in file.to_string_lossy().chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            c => url.push(c),
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_methods_parse_case_insensitively() {
        assert_eq!("hs512".parse(), Ok(JwtMethod::HS512));
        assert_eq!("HS256".parse(), Ok(JwtMethod::HS256));
        let err = "RS256".parse::<JwtMethod>().expect_err("unsupported");
        assert!(err.contains("HS256, HS384 or HS512"), "{err}");
    }

    #[test]
    fn the_default_database_is_a_sqlite_file_in_the_project() {
        let s = Settings::default();
        assert_eq!(
            s.database_url_in(Path::new("/srv/clinica")),
            "sqlite:///srv/clinica/.bela/bela.db"
        );
        assert_eq!(
            s.database_url_in(Path::new("/tmp/a?b#c%d")),
            "sqlite:///tmp/a%3Fb%23c%25d/.bela/bela.db"
        );
        let pg = Settings {
            database_url: Some("postgres://bela@db/bela".into()),
            ..s
        };
        assert_eq!(
            pg.database_url_in(Path::new(".")),
            "postgres://bela@db/bela"
        );
    }
}
