//! The durable outbox: replies wait here until the Graph API accepted them (recording
//! Meta's message id) or refused them for good (recording why).

use crate::channels::whatsapp::error::WhatsAppError;
use crate::channels::whatsapp::sqlite_jobs::{query, write};
use crate::store::backend::on_pool;
use crate::store::{Access, TrackerStore};
use rusqlite::types::Value;

/// Queues a reply (`recipient`, message JSON, now), due at once.
pub(crate) const ENQUEUE: &str = "INSERT INTO whatsapp_outbox \
     (recipient, message, next_attempt_at, created_at) VALUES ($1, $2, $3, $3)";
/// Queues a scheduled job's message (`recipient`, message JSON, now, dedup key, fallback
/// template JSON) unless a message with that key was queued before.
const ENQUEUE_ONCE: &str = "INSERT INTO whatsapp_outbox \
     (recipient, message, next_attempt_at, created_at, dedup_key, fallback) \
     VALUES ($1, $2, $3, $3, $4, $5) ON CONFLICT (dedup_key) DO NOTHING";
// Only each recipient's oldest pending reply is due, so replies arrive in order even when
// one of them is waiting for a retry.
const DUE: &str = "SELECT id, recipient, message, attempts, next_attempt_at, fallback FROM whatsapp_outbox o \
     WHERE status = 'pending' AND next_attempt_at <= $1 AND id = \
     (SELECT MIN(id) FROM whatsapp_outbox p WHERE p.recipient = o.recipient \
      AND p.status = 'pending') ORDER BY id LIMIT $2";
const NEXT_DUE: &str = "SELECT MIN(next_attempt_at) FROM whatsapp_outbox WHERE status = 'pending'";
// Takes a due reply for one sender (process), by moving its due time to the end of a lease:
// only the process whose update matched the time it read sends it.
const CLAIM: &str = "UPDATE whatsapp_outbox SET next_attempt_at = $3 \
     WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2";
// `error` keeps the last failure before success (a retry, a template fallback).
const MARK_SENT: &str = "UPDATE whatsapp_outbox SET status = 'sent', wamid = $2, \
     attempts = attempts + 1 WHERE id = $1";
const RETRY_LATER: &str = "UPDATE whatsapp_outbox SET attempts = attempts + 1, \
     next_attempt_at = $2, error = $3 WHERE id = $1";
const REPLACE: &str = "UPDATE whatsapp_outbox SET message = $2, error = $3, \
     attempts = attempts + 1, next_attempt_at = $4 WHERE id = $1";
const FAIL: &str = "UPDATE whatsapp_outbox SET status = 'failed', attempts = attempts + 1, \
     error = $2 WHERE id = $1";

/// A reply due for sending.
#[derive(Debug, Clone, PartialEq)]
pub struct DueReply {
    /// The row.
    pub id: i64,
    /// The recipient's WhatsApp id.
    pub recipient: String,
    /// The Graph message body (JSON).
    pub message: String,
    /// Sends tried so far.
    pub attempts: i64,
    /// When it came due (what [`Outbox::claim`] compares).
    pub due_at: f64,
    /// The template (Graph message JSON) its job asked for when the 24-hour window is
    /// closed; `None` uses the channel's fallback template.
    pub fallback: Option<String>,
}

/// The outbox table.
#[derive(Clone)]
pub struct Outbox {
    store: TrackerStore,
}

impl Outbox {
    /// The outbox in `store`'s database (which the store migrated), writing in its
    /// write turn.
    pub fn new(store: TrackerStore) -> Self {
        Self { store }
    }

    /// Up to `limit` replies due at `now`, at most one per recipient.
    pub async fn due(&self, now: f64, limit: i64) -> Result<Vec<DueReply>, WhatsAppError> {
        type Row = (i64, String, String, i64, f64, Option<String>);
        let on_thread = self.store.on_sqlite_thread(Access::Read, move |c| {
            query(c, DUE, &[&now, &limit], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
        });
        let rows: Vec<Row> = match on_thread.await {
            Some(rows) => rows?,
            None => on_pool!(self.store.backend(), pool => {
                sqlx::query_as(DUE).bind(now).bind(limit).fetch_all(pool).await?
            }),
        };
        Ok(rows
            .into_iter()
            .map(
                |(id, recipient, message, attempts, due_at, fallback)| DueReply {
                    id,
                    recipient,
                    message,
                    attempts,
                    due_at,
                    fallback,
                },
            )
            .collect())
    }

    /// Queues `message` (a full Graph request body) for `recipient` at `now` under
    /// `dedup_key`, with its own `fallback` template; false when that key was queued
    /// already (a job retried after a crash), which queues nothing.
    pub async fn enqueue_once(
        &self,
        recipient: &str,
        message: &str,
        now: f64,
        dedup_key: &str,
        fallback: Option<&str>,
    ) -> Result<bool, WhatsAppError> {
        let _writing = self.store.serialize_write().await;
        let queued = on_pool!(self.store.backend(), pool => {
            sqlx::query(ENQUEUE_ONCE)
                .bind(recipient)
                .bind(message)
                .bind(now)
                .bind(dedup_key)
                .bind(fallback)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(queued == 1)
    }

    /// When the earliest pending reply is due, if any is pending.
    pub async fn next_due(&self) -> Result<Option<f64>, WhatsAppError> {
        Ok(on_pool!(self.store.backend(), pool => {
            sqlx::query_scalar(NEXT_DUE).fetch_one(pool).await?
        }))
    }

    /// Takes `reply` for sending until `lease_until` (when it is due again should this
    /// process die mid-send); false when another process took it first.
    pub async fn claim(&self, reply: &DueReply, lease_until: f64) -> Result<bool, WhatsAppError> {
        let values = vec![
            Value::Integer(reply.id),
            Value::Real(reply.due_at),
            Value::Real(lease_until),
        ];
        if let Some(claimed) = write(&self.store, CLAIM, values).await {
            return Ok(claimed? == 1);
        }
        let _writing = self.store.serialize_write().await;
        let claimed = on_pool!(self.store.backend(), pool => {
            sqlx::query(CLAIM)
                .bind(reply.id)
                .bind(reply.due_at)
                .bind(lease_until)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(claimed == 1)
    }

    /// Reply `id` was accepted as Meta's message `wamid`.
    pub async fn mark_sent(&self, id: i64, wamid: &str) -> Result<(), WhatsAppError> {
        self.update(MARK_SENT, id, wamid).await
    }

    /// Reply `id` failed for now (`error`); try again at `at`.
    pub async fn retry_at(&self, id: i64, at: f64, error: &str) -> Result<(), WhatsAppError> {
        let values = vec![
            Value::Integer(id),
            Value::Real(at),
            Value::Text(error.into()),
        ];
        if let Some(updated) = write(&self.store, RETRY_LATER, values).await {
            updated?;
            return Ok(());
        }
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            sqlx::query(RETRY_LATER).bind(id).bind(at).bind(error).execute(pool).await?;
        });
        Ok(())
    }

    /// Reply `id` is to be sent as `message` instead (due at `now`), after `error`.
    pub async fn replace(
        &self,
        id: i64,
        message: &str,
        error: &str,
        now: f64,
    ) -> Result<(), WhatsAppError> {
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            sqlx::query(REPLACE).bind(id).bind(message).bind(error).bind(now)
                .execute(pool).await?;
        });
        Ok(())
    }

    /// Reply `id` failed for good.
    pub async fn fail(&self, id: i64, error: &str) -> Result<(), WhatsAppError> {
        self.update(FAIL, id, error).await
    }

    async fn update(&self, sql: &'static str, id: i64, text: &str) -> Result<(), WhatsAppError> {
        let values = vec![Value::Integer(id), Value::Text(text.into())];
        if let Some(updated) = write(&self.store, sql, values).await {
            updated?;
            return Ok(());
        }
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            sqlx::query(sql).bind(id).bind(text).execute(pool).await?;
        });
        Ok(())
    }
}
