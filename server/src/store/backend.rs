//! The database behind the store: a SQLite file (default) or PostgreSQL.
//!
//! An enum over the two native pools rather than `sqlx::Any`: each arm keeps its driver's
//! own types (JSONB on PostgreSQL, REAL/TEXT on SQLite) and the PostgreSQL pool is needed
//! as such for advisory locks, while the SQL text itself is shared (both accept `$1`
//! placeholders and `ON CONFLICT`) through the `on_pool!` macro.

use crate::store::error::{StoreError, redact_url};
use sqlx::Connection;
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Schema migrations, embedded at compile time and applied on start-up. Versions and
/// descriptions follow sqlx's file naming (`0001_tracker.sql`).
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "tracker",
        include_str!("../../migrations/sqlite/0001_tracker.sql"),
    ),
    (
        2,
        "session_index",
        include_str!("../../migrations/sqlite/0002_session_index.sql"),
    ),
    (
        3,
        "whatsapp",
        include_str!("../../migrations/sqlite/0003_whatsapp.sql"),
    ),
    (
        4,
        "calendar",
        include_str!("../../migrations/sqlite/0004_calendar.sql"),
    ),
    (
        5,
        "voice_transcripts",
        include_str!("../../migrations/sqlite/0005_voice_transcripts.sql"),
    ),
    (
        6,
        "leads",
        include_str!("../../migrations/sqlite/0006_leads.sql"),
    ),
    (
        7,
        "jobs",
        include_str!("../../migrations/sqlite/0007_jobs.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "tracker",
        include_str!("../../migrations/postgres/0001_tracker.sql"),
    ),
    (
        2,
        "session_index",
        include_str!("../../migrations/postgres/0002_session_index.sql"),
    ),
    (
        3,
        "whatsapp",
        include_str!("../../migrations/postgres/0003_whatsapp.sql"),
    ),
    (
        4,
        "calendar",
        include_str!("../../migrations/postgres/0004_calendar.sql"),
    ),
    (
        5,
        "voice_transcripts",
        include_str!("../../migrations/postgres/0005_voice_transcripts.sql"),
    ),
    (
        6,
        "leads",
        include_str!("../../migrations/postgres/0006_leads.sql"),
    ),
    (
        7,
        "jobs",
        include_str!("../../migrations/postgres/0007_jobs.sql"),
    ),
];

/// Connections to a SQLite file. Each has its own worker thread and page cache, and every
/// write empties the other connections' caches: few connections keep turns fast.
const SQLITE_CONNECTIONS: u32 = 2;
/// How long a writer waits for SQLite's single write lock before failing.
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections per PostgreSQL pool.
const POSTGRES_MAX_CONNECTIONS: u32 = 10;

/// A connected, migrated database.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A SQLite file (or `sqlite::memory:`): one server process.
    Sqlite(SqlitePool),
    /// PostgreSQL: any number of server processes.
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to whichever native pool `$backend` holds; the body is
/// compiled once per driver, so the same SQL and binds serve both.
macro_rules! on_pool {
    ($backend:expr, $pool:ident => $body:expr) => {
        match $backend {
            $crate::store::backend::Backend::Sqlite($pool) => $body,
            $crate::store::backend::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// `sqlite:...`
    Sqlite,
    /// `postgres://...` or `postgresql://...`
    Postgres,
}

impl DatabaseKind {
    /// The kind of `url`, or [`StoreError::UnsupportedUrl`].
    pub fn of(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl {
                url: redact_url(url),
            })
        }
    }
}

impl Backend {
    /// Connects to `url` and applies pending migrations. A SQLite file and its parent
    /// directory are created when missing.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let db_err = |source| StoreError::Database {
            url: redact_url(url),
            source,
        };
        let backend = match DatabaseKind::of(url)? {
            DatabaseKind::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(db_err)?
                    .create_if_missing(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT);
                let pool = if is_in_memory(url) {
                    // A shared in-memory database lives as long as one connection does.
                    SqlitePoolOptions::new()
                        .min_connections(1)
                        .max_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                        .connect_with(options)
                        .await
                } else {
                    create_parent_dir(options.get_filename())?;
                    // WAL with `synchronous = NORMAL`: a commit is durable once the server
                    // hands it to the OS (a crashed or killed server loses nothing), without
                    // waiting for a disk flush per message; only a power cut can drop the
                    // last commits. Deployments that need more run on PostgreSQL.
                    SqlitePoolOptions::new()
                        .max_connections(SQLITE_CONNECTIONS)
                        .connect_with(
                            options
                                .journal_mode(SqliteJournalMode::Wal)
                                .synchronous(SqliteSynchronous::Normal),
                        )
                        .await
                };
                Self::Sqlite(pool.map_err(db_err)?)
            }
            DatabaseKind::Postgres => Self::Postgres(
                postgres_pool(url, POSTGRES_MAX_CONNECTIONS)
                    .await
                    .map_err(db_err)?,
            ),
        };
        backend.migrate(url).await?;
        Ok(backend)
    }

    /// Which database this is.
    pub fn kind(&self) -> DatabaseKind {
        match self {
            Self::Sqlite(_) => DatabaseKind::Sqlite,
            Self::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    async fn migrate(&self, url: &str) -> Result<(), StoreError> {
        let result = match self {
            Self::Sqlite(pool) => migrator(SQLITE_MIGRATIONS).run(pool).await,
            // Takes sqlx's advisory lock, so processes starting together migrate once.
            Self::Postgres(pool) => migrator(POSTGRES_MIGRATIONS).run(pool).await,
        };
        result.map_err(|source| StoreError::Migrate {
            url: redact_url(url),
            source,
        })
    }
}

/// A PostgreSQL pool of at most `max_connections` on `url`.
pub async fn postgres_pool(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?;
    // The pool retries a refused connection until its acquire timeout and then reports
    // only "timed out"; one direct attempt fails at once with the real cause.
    PgConnection::connect_with(&options).await?.close().await?;
    PgPoolOptions::new()
        .max_connections(max_connections)
        .connect_with(options)
        .await
}

fn migrator(migrations: &'static [(i64, &'static str, &'static str)]) -> Migrator {
    let mut migrator = Migrator::with_migrations(
        migrations
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    );
    // Replicas sharing a database are upgraded one by one: a server must still start on a
    // schema a newer release has already migrated further (migrations only add).
    migrator.set_ignore_missing(true);
    migrator
}

/// True for a SQLite URL naming an in-memory database (`sqlite::memory:`, `mode=memory`).
pub(crate) fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

fn create_parent_dir(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
                path: dir.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}
