//! Rasa's tracker store: each conversation persisted as an append-only list of events.

use crate::store::backend::{Backend, DatabaseKind, SQLITE_BUSY_TIMEOUT, is_in_memory, on_pool};
use crate::store::error::{StoreError, redact_url};
use crate::store::event::EventRecord;
use crate::store::sqlite_thread::{Access, SqliteThread};
use crate::store::sqlite_tracker::{self, Failure};
use crate::store::tracker_sql::{
    CLAIM_APPEND, COUNT, ENSURE_CONVERSATION, INSERT_EVENTS, LOAD_FROM, LOAD_LATEST_SESSION,
    SET_LENGTH, from_db, latest_time, to_db, to_rows,
};
use bela_engine::dialogue::events::Event;
use bela_engine::names::SenderId;
use serde_json::Value;
use sqlx::Row;
use sqlx::types::Json;
use std::marker::PhantomData;
use std::sync::Arc;

/// Rows per insert statement: 5 values each, well under SQLite's and PostgreSQL's limits.
const INSERT_CHUNK: usize = 500;
const SENDERS: &str = "SELECT sender_id FROM conversations ORDER BY sender_id";
const DELETE_EVENTS: &str = "DELETE FROM events WHERE sender_id = $1";
const DELETE_CONVERSATION: &str = "DELETE FROM conversations WHERE sender_id = $1";

/// Persists conversations (Rasa's `TrackerStore`) in SQLite or PostgreSQL.
///
/// Writes are optimistic: [`append`](Self::append) names the length the writer read and
/// fails with [`StoreError::Conflict`] when another writer appended meanwhile, so no event
/// is ever lost or reordered. Hold a [`ConversationLocks`](crate::store::ConversationLocks)
/// guard while processing a message to avoid conflicts altogether.
///
/// `E` is the event type: the engine's [`Event`] by default, or raw Rasa JSON
/// ([`serde_json::Value`]).
pub struct TrackerStore<E = Event> {
    backend: Backend,
    url: String,
    events: PhantomData<fn() -> E>,
    /// SQLite has one writer: writes queue here rather than in SQLite's busy handler,
    /// which sleeps in milliseconds when write transactions collide. The SQLite file's
    /// thread takes it too, so no job may be sent to that thread while holding it.
    writes: Arc<tokio::sync::Mutex<()>>,
    /// A SQLite file's own connection, which serves loads and appends (a turn's
    /// queries) in one hop each; `None` on PostgreSQL and in-memory SQLite.
    sqlite: Option<SqliteThread>,
}

impl<E> Clone for TrackerStore<E> {
    fn clone(&self) -> Self {
        Self {
            backend: self.backend.clone(),
            url: self.url.clone(),
            events: PhantomData,
            writes: self.writes.clone(),
            sqlite: self.sqlite.clone(),
        }
    }
}

/// Inserts `$rows` as events `$first_seq..` of `$sender` through `$executor`, returning
/// early on a database error (a macro because the executor's type differs per driver).
macro_rules! insert_events {
    ($executor:expr, $sender:expr, $first_seq:expr, $rows:expr) => {
        // One statement per chunk: each statement is a round trip to the database (for
        // SQLite, to its worker thread), which is what a turn mostly waits for.
        for (chunk_index, chunk) in $rows.chunks(INSERT_CHUNK).enumerate() {
            let first = $first_seq + (chunk_index * INSERT_CHUNK) as u64;
            let mut insert = sqlx::QueryBuilder::new(INSERT_EVENTS);
            insert.push_values(chunk.iter().enumerate(), |mut values, (i, row)| {
                values
                    .push_bind($sender.as_str())
                    .push_bind(to_db(first + i as u64))
                    .push_bind(row.type_name.as_str())
                    .push_bind(row.timestamp)
                    .push_bind(&*row.data);
            });
            insert.build().execute($executor).await?;
        }
    };
}

impl<E: EventRecord> TrackerStore<E> {
    /// Opens the store at `url`, applying schema migrations: `sqlite://PATH` (the file and
    /// its directory are created), `sqlite::memory:` (tests), or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let backend = Backend::connect(url).await?;
        let writes = Arc::default();
        let sqlite = match &backend {
            // An in-memory database lives in its pool's one connection: no other sees it.
            Backend::Sqlite(pool) if !is_in_memory(url) => Some(SqliteThread::open(
                pool.connect_options().get_filename(),
                SQLITE_BUSY_TIMEOUT,
                &redact_url(url),
                Arc::clone(&writes),
            )?),
            _ => None,
        };
        Ok(Self {
            backend,
            url: redact_url(url),
            events: PhantomData,
            writes,
            sqlite,
        })
    }

    /// Which database holds the conversations.
    pub fn kind(&self) -> DatabaseKind {
        self.backend.kind()
    }

    /// The database URL, with any password hidden (for logs).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database connection pool.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Appends `events` to `sender`'s conversation, which must hold exactly `expected_len`
    /// events (0 for a new one); returns the new length. Fails with
    /// [`StoreError::Conflict`] (and writes nothing) when the stored length differs.
    pub async fn append(
        &self,
        sender: &SenderId,
        expected_len: u64,
        events: &[E],
    ) -> Result<u64, StoreError> {
        let rows = to_rows(events)?;
        if rows.is_empty() {
            // Nothing to write; still tell a stale writer it is stale.
            let actual = self.len(sender).await?;
            return if actual == expected_len {
                Ok(actual)
            } else {
                Err(self.conflict(sender, expected_len, actual))
            };
        }
        if let Some(sqlite) = &self.sqlite {
            let name = sender.to_string();
            let appended = sqlite
                .run(Access::Write, move |connection| {
                    sqlite_tracker::append(connection, &name, expected_len, &rows)
                })
                .await
                .ok_or_else(|| self.stopped())?;
            return match appended.map_err(|e| self.sqlite_error(e))? {
                Ok(new_len) => Ok(new_len),
                Err(actual) => Err(self.conflict(sender, expected_len, actual)),
            };
        }
        let new_len = expected_len + rows.len() as u64;
        let latest = latest_time(&rows);
        let _writing = self.serialize_write().await;
        let result: Result<Result<u64, StoreError>, sqlx::Error> = on_pool!(&self.backend, pool => {
            async {
                let mut tx = pool.begin().await?;
                // A conversation with events has its row already.
                if expected_len == 0 {
                    sqlx::query(ENSURE_CONVERSATION).bind(sender.as_str()).execute(&mut *tx).await?;
                }
                let claimed = sqlx::query(CLAIM_APPEND)
                    .bind(sender.as_str())
                    .bind(to_db(new_len))
                    .bind(latest)
                    .bind(to_db(expected_len))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if claimed == 0 {
                    let actual: Option<i64> = sqlx::query_scalar(COUNT)
                        .bind(sender.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let actual = actual.map_or(0, from_db);
                    return Ok(Err(self.conflict(sender, expected_len, actual)));
                }
                insert_events!(&mut *tx, sender, expected_len, &rows);
                tx.commit().await?;
                Ok(Ok(new_len))
            }
            .await
        });
        result.map_err(|e| self.db_error(e))?
    }

    /// Takes the in-process write turn on SQLite (PostgreSQL writers need none); other
    /// tables in the same database (the WhatsApp inbox and outbox) write under it too.
    pub(crate) async fn serialize_write(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite(_) => Some(self.writes.lock().await),
            Backend::Postgres(_) => None,
        }
    }

    /// Runs `job` on the SQLite file's connection thread, where it joins the batch
    /// (one transaction, group commit) of the jobs queued with it and answers once that
    /// is committed; writes take the write turn there, so the caller must not hold it.
    /// `None` when there is no such thread (PostgreSQL, in-memory SQLite): use
    /// [`backend`](Self::backend) under [`serialize_write`](Self::serialize_write).
    pub(crate) async fn on_sqlite_thread<T, F>(
        &self,
        access: Access,
        job: F,
    ) -> Option<Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let sqlite = self.sqlite.as_ref()?;
        Some(match sqlite.run(access, job).await {
            Some(result) => result.map_err(|e| self.sqlite_error(e)),
            None => Err(self.stopped()),
        })
    }

    /// Replaces `sender`'s whole conversation with `events` (Rasa's
    /// `PUT /conversations/{id}/tracker/events`); returns the new length. Unconditional, as
    /// in Rasa: hold the conversation lock so no append races it.
    pub async fn replace(&self, sender: &SenderId, events: &[E]) -> Result<u64, StoreError> {
        let rows = to_rows(events)?;
        let latest = latest_time(&rows);
        let _writing = self.serialize_write().await;
        let result: Result<(), sqlx::Error> = on_pool!(&self.backend, pool => {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(ENSURE_CONVERSATION).bind(sender.as_str()).execute(&mut *tx).await?;
                sqlx::query(DELETE_EVENTS).bind(sender.as_str()).execute(&mut *tx).await?;
                insert_events!(&mut *tx, sender, 0, &rows);
                sqlx::query(SET_LENGTH)
                    .bind(sender.as_str())
                    .bind(to_db(rows.len() as u64))
                    .bind(latest)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            }
            .await
        });
        result.map_err(|e| self.db_error(e))?;
        Ok(rows.len() as u64)
    }

    /// `sender`'s events in order; empty for an unknown conversation.
    pub async fn load(&self, sender: &SenderId) -> Result<Vec<E>, StoreError> {
        self.load_from(sender, 0).await
    }

    /// The events of `sender`'s latest session (from the `action_session_start` before
    /// its `session_started`; everything when it has none) and the position of the
    /// first of them. Earlier sessions matter to no policy: a new session re-sets the
    /// slots it carries over, as Rasa's SQL tracker store assumes.
    pub async fn load_latest_session(
        &self,
        sender: &SenderId,
    ) -> Result<(u64, Vec<E>), StoreError> {
        let (first, events) = self.fetch(sender, None).await?;
        Ok((first.unwrap_or(0), events))
    }

    /// `sender`'s events from position `from` on.
    async fn load_from(&self, sender: &SenderId, from: u64) -> Result<Vec<E>, StoreError> {
        Ok(self.fetch(sender, Some(from)).await?.1)
    }

    /// Events from position `from` (the latest session when `None`), with the position of
    /// the first one.
    async fn fetch(
        &self,
        sender: &SenderId,
        from: Option<u64>,
    ) -> Result<(Option<u64>, Vec<E>), StoreError> {
        if let Some(sqlite) = &self.sqlite {
            let name = sender.to_string();
            let fetched = sqlite
                .run(Access::Read, move |connection| {
                    sqlite_tracker::fetch(connection, &name, from)
                })
                .await
                .ok_or_else(|| self.stopped())?;
            return fetched.map_err(|failure| match failure {
                Failure::Sqlite(e) => self.sqlite_error(e),
                Failure::Corrupt { seq, reason } => StoreError::Corrupt {
                    sender: sender.clone(),
                    seq,
                    reason,
                },
            });
        }
        let rows: Result<Vec<(i64, Json<Value>)>, sqlx::Error> = on_pool!(&self.backend, pool => {
            let query = match from {
                Some(from) => sqlx::query(LOAD_FROM)
                    .bind(sender.as_str())
                    .bind(i64::try_from(from).unwrap_or(i64::MAX)),
                None => sqlx::query(LOAD_LATEST_SESSION).bind(sender.as_str()),
            };
            query
                .fetch_all(pool)
                .await
                .and_then(|rows| {
                    rows.iter()
                        .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?)))
                        .collect()
                })
        });
        let rows = rows.map_err(|e| self.db_error(e))?;
        let first = rows.first().map(|(seq, _)| from_db(*seq));
        let events = rows
            .into_iter()
            .map(|(seq, Json(data))| {
                serde_json::from_value(data).map_err(|e| StoreError::Corrupt {
                    sender: sender.clone(),
                    seq: from_db(seq),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<E>, StoreError>>()?;
        Ok((first, events))
    }

    /// How many events `sender`'s conversation holds (0 for an unknown one).
    pub async fn len(&self, sender: &SenderId) -> Result<u64, StoreError> {
        if let Some(sqlite) = &self.sqlite {
            let name = sender.to_string();
            let len = sqlite
                .run(Access::Read, move |connection| {
                    sqlite_tracker::len(connection, &name)
                })
                .await
                .ok_or_else(|| self.stopped())?;
            return len.map_err(|e| self.sqlite_error(e));
        }
        let count: Result<Option<i64>, sqlx::Error> = on_pool!(&self.backend, pool => {
            sqlx::query_scalar(COUNT).bind(sender.as_str()).fetch_optional(pool).await
        });
        Ok(count.map_err(|e| self.db_error(e))?.map_or(0, from_db))
    }

    /// Every stored conversation, sorted (Rasa's `keys()`).
    pub async fn senders(&self) -> Result<Vec<SenderId>, StoreError> {
        let names: Result<Vec<String>, sqlx::Error> = on_pool!(&self.backend, pool => {
            sqlx::query_scalar(SENDERS).fetch_all(pool).await
        });
        Ok(names
            .map_err(|e| self.db_error(e))?
            .into_iter()
            .map(SenderId::from)
            .collect())
    }

    /// Deletes `sender`'s conversation; returns whether it existed.
    pub async fn delete(&self, sender: &SenderId) -> Result<bool, StoreError> {
        let _writing = self.serialize_write().await;
        let deleted: Result<u64, sqlx::Error> = on_pool!(&self.backend, pool => {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(DELETE_EVENTS).bind(sender.as_str()).execute(&mut *tx).await?;
                let gone = sqlx::query(DELETE_CONVERSATION)
                    .bind(sender.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                Ok(gone)
            }
            .await
        });
        Ok(deleted.map_err(|e| self.db_error(e))? > 0)
    }

    fn conflict(&self, sender: &SenderId, expected: u64, actual: u64) -> StoreError {
        StoreError::Conflict {
            sender: sender.clone(),
            expected,
            actual,
        }
    }

    fn sqlite_error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            url: self.url.clone(),
            source,
        }
    }

    fn stopped(&self) -> StoreError {
        StoreError::SqliteThread {
            url: self.url.clone(),
            reason: "a query on its connection thread panicked".into(),
        }
    }

    fn db_error(&self, source: sqlx::Error) -> StoreError {
        StoreError::Database {
            url: self.url.clone(),
            source,
        }
    }
}
