//! Per-sender ordering for the server: hold a sender's lock while processing one message,
//! so its messages are handled strictly one after another while other senders run
//! concurrently, in one process or in several sharing a database.

use crate::store::backend::{DatabaseKind, postgres_pool};
use crate::store::error::{StoreError, redact_url};
use crate::store::local_lock::{SenderGuard, SenderLocks};
use crate::store::pg_lock::{PgAdvisoryGuard, PgAdvisoryLocks};
use crate::store::redis_lock::{RedisGuard, RedisLocks};
use bela_engine::names::SenderId;

/// Connections reserved for PostgreSQL advisory locks: at most this many conversations are
/// processed at once per server process (others wait for a connection).
const LOCK_POOL_CONNECTIONS: u32 = 32;

/// Locks conversations: always in-process (first, so tasks of one process queue without
/// using database connections), plus a cross-process lock when several servers may share
/// the conversations.
#[derive(Clone)]
pub struct ConversationLocks {
    local: SenderLocks,
    remote: Option<RemoteLocks>,
}

/// Where cross-process locks live.
#[derive(Clone)]
enum RemoteLocks {
    Postgres(PgAdvisoryLocks),
    Redis(RedisLocks),
}

enum RemoteGuard {
    Postgres(PgAdvisoryGuard),
    Redis(RedisGuard),
}

/// Holds one conversation's lock until [`release`](Self::release)d or dropped.
pub struct ConversationGuard {
    // Declared first: the cross-process lock goes before the in-process one.
    remote: Option<RemoteGuard>,
    _local: SenderGuard,
}

impl ConversationLocks {
    /// Only in-process locks: right for one server process (the SQLite store).
    pub fn in_process() -> Self {
        Self {
            local: SenderLocks::new(),
            remote: None,
        }
    }

    /// In-process locks plus PostgreSQL advisory locks taken through `locks`.
    pub fn with_postgres(locks: PgAdvisoryLocks) -> Self {
        Self::with_remote(RemoteLocks::Postgres(locks))
    }

    /// In-process locks plus Redis locks taken through `locks`.
    pub fn with_redis(locks: RedisLocks) -> Self {
        Self::with_remote(RemoteLocks::Redis(locks))
    }

    fn with_remote(remote: RemoteLocks) -> Self {
        Self {
            local: SenderLocks::new(),
            remote: Some(remote),
        }
    }

    /// The locks for a server: Redis when `lock_store_url` (`BELA_LOCK_STORE`) is a
    /// `redis://` URL, else what fits the store at `database_url`: advisory locks on a pool
    /// of their own for PostgreSQL (several server processes may share it), in-process
    /// locks for SQLite (one process owns the file).
    pub async fn connect(
        database_url: &str,
        lock_store_url: Option<&str>,
    ) -> Result<Self, StoreError> {
        if let Some(url) = lock_store_url {
            return if url.starts_with("redis://") {
                Ok(Self::with_redis(RedisLocks::connect(url).await?))
            } else {
                Err(StoreError::UnsupportedUrl {
                    url: redact_url(url),
                })
            };
        }
        match DatabaseKind::of(database_url)? {
            DatabaseKind::Sqlite => Ok(Self::in_process()),
            DatabaseKind::Postgres => {
                let pool = postgres_pool(database_url, LOCK_POOL_CONNECTIONS)
                    .await
                    .map_err(|source| StoreError::Database {
                        url: redact_url(database_url),
                        source,
                    })?;
                Ok(Self::with_postgres(PgAdvisoryLocks::new(pool)))
            }
        }
    }

    /// Waits until no other task (here or, with PostgreSQL or Redis, in another process) holds
    /// `sender`'s conversation, then holds it.
    pub async fn lock(&self, sender: &SenderId) -> Result<ConversationGuard, StoreError> {
        let local = self.local.lock(sender).await;
        let remote = match &self.remote {
            Some(RemoteLocks::Postgres(locks)) => {
                Some(RemoteGuard::Postgres(locks.lock(sender).await?))
            }
            Some(RemoteLocks::Redis(locks)) => Some(RemoteGuard::Redis(locks.lock(sender).await?)),
            None => None,
        };
        Ok(ConversationGuard {
            remote,
            _local: local,
        })
    }

    /// Where the locks live, for the start-up log: `in-process`, `PostgreSQL advisory
    /// locks` or `Redis`.
    pub fn describe(&self) -> &'static str {
        match &self.remote {
            None => "in-process",
            Some(RemoteLocks::Postgres(_)) => "PostgreSQL advisory locks",
            Some(RemoteLocks::Redis(_)) => "Redis",
        }
    }

    /// Senders whose in-process lock is held or awaited right now.
    pub fn active(&self) -> usize {
        self.local.active()
    }
}

impl ConversationGuard {
    /// Releases the lock, waiting for the cross-process part to be confirmed (dropping
    /// the guard releases it too, in the background).
    pub async fn release(mut self) -> Result<(), StoreError> {
        match self.remote.take() {
            Some(RemoteGuard::Postgres(remote)) => remote.unlock().await,
            Some(RemoteGuard::Redis(remote)) => remote.unlock().await,
            None => Ok(()),
        }
    }
}
