//! What can go wrong storing conversations: bad input, a lost race, or the database.

use bela_engine::names::SenderId;
use std::path::PathBuf;

/// An error from the tracker store or the conversation locks.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer appended to the conversation first: reload and retry (or hold the
    /// conversation lock while processing, which prevents this).
    #[error(
        "conversation `{sender}` has {actual} events, not the {expected} this writer read: \
         another writer appended first"
    )]
    Conflict {
        /// The conversation.
        sender: SenderId,
        /// The length the writer assumed.
        expected: u64,
        /// The length actually stored.
        actual: u64,
    },
    /// An event given to the store is not a valid Rasa event.
    #[error("event {index}: {reason}")]
    InvalidEvent {
        /// Position of the event in the given list (0-based).
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The database (or lock store) URL names no supported service.
    #[error(
        "URL `{url}` is not supported: use `sqlite://PATH`, `sqlite::memory:` or \
         `postgres://USER@HOST/DB` for the database, `redis://HOST` for the lock store"
    )]
    UnsupportedUrl {
        /// The URL, with any password hidden.
        url: String,
    },
    /// The directory for the SQLite file could not be created.
    #[error("cannot create the data directory {}: {source}", path.display())]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Connecting to or querying the database failed.
    #[error("database `{url}`: {source}")]
    Database {
        /// The database URL, with any password hidden.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A query on the SQLite file's own connection failed.
    #[error("database `{url}`: {source}")]
    Sqlite {
        /// The database URL.
        url: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The SQLite file's connection thread could not run a job.
    #[error("database `{url}`: {reason}")]
    SqliteThread {
        /// The database URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The schema migrations could not be applied.
    #[error("database `{url}`: migrating the schema failed: {source}")]
    Migrate {
        /// The database URL, with any password hidden.
        url: String,
        /// The migrator's error.
        source: sqlx::migrate::MigrateError,
    },
    /// A stored event no longer reads as an event (written by an incompatible version?).
    #[error("conversation `{sender}`, stored event {seq}: {reason}")]
    Corrupt {
        /// The conversation.
        sender: SenderId,
        /// The event's position in the conversation.
        seq: u64,
        /// Why it does not read.
        reason: String,
    },
    /// Connecting to the Redis lock server failed.
    #[error("lock store `{url}`: {source}")]
    Redis {
        /// The Redis URL, with any password hidden.
        url: String,
        /// The client's error.
        source: redis::RedisError,
    },
    /// The lock service (PostgreSQL advisory locks or Redis) failed.
    #[error("conversation lock for `{sender}`: {reason}")]
    Lock {
        /// The conversation.
        sender: SenderId,
        /// What failed.
        reason: String,
    },
}

impl StoreError {
    /// True when the caller's input is at fault (answer 4xx), false for internal faults
    /// and for [`StoreError::Conflict`] (a race, to be retried).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Self::InvalidEvent { .. } | Self::UnsupportedUrl { .. }
        )
    }

    /// True when another writer won the race ([`StoreError::Conflict`]).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict { .. })
    }
}

/// `url` with the password (if any) replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_only_the_password() {
        assert_eq!(
            redact_url("postgres://bela:s3cr:et@db.local:5432/bela"),
            "postgres://bela:***@db.local:5432/bela"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact_url("sqlite::memory:"), "sqlite::memory:");
    }

    #[test]
    fn conflicts_are_neither_user_errors_nor_hidden() {
        let e = StoreError::Conflict {
            sender: SenderId::new("5511"),
            expected: 2,
            actual: 3,
        };
        assert!(e.is_conflict());
        assert!(!e.is_user_error());
        assert!(e.to_string().contains("has 3 events, not the 2"));
    }
}
