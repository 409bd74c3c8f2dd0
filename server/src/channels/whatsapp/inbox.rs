//! The durable inbox: every inbound message is stored (once per wamid) before the webhook
//! is acknowledged, and marked processed in the same transaction that queues its replies.

use crate::channels::whatsapp::error::WhatsAppError;
use crate::channels::whatsapp::outbox::ENQUEUE;
use crate::channels::whatsapp::sqlite_jobs::{execute, query};
use crate::store::backend::on_pool;
use crate::store::{Access, TrackerStore};
use serde_json::Value;

const INSERT: &str = "INSERT INTO whatsapp_inbox (wamid, sender_id, payload, received_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (wamid) DO NOTHING";
const NEXT_PENDING: &str = "SELECT id, payload, transcript, transcription_error FROM whatsapp_inbox \
     WHERE sender_id = $1 AND processed_at IS NULL ORDER BY id LIMIT 1";
const PENDING_SENDERS: &str =
    "SELECT DISTINCT sender_id FROM whatsapp_inbox WHERE processed_at IS NULL";
const RECORD_TRANSCRIPTION: &str =
    "UPDATE whatsapp_inbox SET transcript = $2, transcription_error = $3 WHERE id = $1";
const MARK_PROCESSED: &str =
    "UPDATE whatsapp_inbox SET processed_at = $2 WHERE id = $1 AND processed_at IS NULL";

/// An unprocessed inbound message.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMessage {
    /// The row.
    pub id: i64,
    /// What [`Inbox::insert`] stored.
    pub payload: String,
    /// A voice note's transcript, once heard (see [`Inbox::record_transcription`]).
    pub transcript: Option<String>,
    /// Why a voice note could not be heard.
    pub transcription_error: Option<String>,
}

/// The inbox table.
#[derive(Clone)]
pub struct Inbox {
    store: TrackerStore,
}

impl Inbox {
    /// The inbox in `store`'s database (which the store migrated), writing in its
    /// write turn.
    pub fn new(store: TrackerStore) -> Self {
        Self { store }
    }

    /// Stores message `wamid` from `sender`; false when it was already stored (a
    /// redelivery, which must not be processed again).
    pub async fn insert(
        &self,
        wamid: &str,
        sender: &str,
        payload: &str,
        now: f64,
    ) -> Result<bool, WhatsAppError> {
        let row = (wamid.to_owned(), sender.to_owned(), payload.to_owned());
        let on_thread = self.store.on_sqlite_thread(Access::Write, move |c| {
            let (wamid, sender, payload) = &row;
            execute(c, INSERT, &[wamid, sender, payload, &now])
        });
        if let Some(inserted) = on_thread.await {
            return Ok(inserted? == 1);
        }
        let _writing = self.store.serialize_write().await;
        let inserted = on_pool!(self.store.backend(), pool => {
            sqlx::query(INSERT)
                .bind(wamid)
                .bind(sender)
                .bind(payload)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(inserted == 1)
    }

    /// `sender`'s oldest unprocessed message.
    pub async fn next_pending(
        &self,
        sender: &str,
    ) -> Result<Option<PendingMessage>, WhatsAppError> {
        type Row = (i64, String, Option<String>, Option<String>);
        let name = sender.to_owned();
        let on_thread = self.store.on_sqlite_thread(Access::Read, move |c| {
            query(c, NEXT_PENDING, &[&name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
        });
        let row: Option<Row> = match on_thread.await {
            Some(rows) => rows?.into_iter().next(),
            None => on_pool!(self.store.backend(), pool => {
                sqlx::query_as(NEXT_PENDING).bind(sender).fetch_optional(pool).await?
            }),
        };
        Ok(row.map(
            |(id, payload, transcript, transcription_error)| PendingMessage {
                id,
                payload,
                transcript,
                transcription_error,
            },
        ))
    }

    /// Stores what voice note `id` said, or why it could not be heard, before the
    /// dialogue runs: a replay after a crash reuses it instead of transcribing again.
    pub async fn record_transcription(
        &self,
        id: i64,
        heard: &Result<String, String>,
    ) -> Result<(), WhatsAppError> {
        let (transcript, error) = match heard {
            Ok(text) => (Some(text.as_str()), None),
            Err(error) => (None, Some(error.as_str())),
        };
        let heard = (transcript.map(str::to_owned), error.map(str::to_owned));
        let on_thread = self.store.on_sqlite_thread(Access::Write, move |c| {
            execute(c, RECORD_TRANSCRIPTION, &[&id, &heard.0, &heard.1])
        });
        if let Some(recorded) = on_thread.await {
            recorded?;
            return Ok(());
        }
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            sqlx::query(RECORD_TRANSCRIPTION)
                .bind(id)
                .bind(transcript)
                .bind(error)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// Senders with unprocessed messages (picked up on start-up).
    pub async fn pending_senders(&self) -> Result<Vec<String>, WhatsAppError> {
        Ok(on_pool!(self.store.backend(), pool => {
            sqlx::query_scalar(PENDING_SENDERS).fetch_all(pool).await?
        }))
    }

    /// Marks message `id` processed and queues `replies` (`(recipient, Graph body)`) for
    /// sending, atomically: a message is answered once, or not at all yet.
    pub async fn finish(
        &self,
        id: i64,
        replies: &[(String, Value)],
        now: f64,
    ) -> Result<(), WhatsAppError> {
        let queued: Vec<(String, String)> = replies
            .iter()
            .map(|(recipient, message)| (recipient.clone(), message.to_string()))
            .collect();
        // The thread runs the job in a savepoint of its own: atomic like the transaction.
        let on_thread = self.store.on_sqlite_thread(Access::Write, move |c| {
            if execute(c, MARK_PROCESSED, &[&id, &now])? == 1 {
                for (recipient, message) in &queued {
                    execute(c, ENQUEUE, &[recipient, message, &now])?;
                }
            }
            Ok(())
        });
        if let Some(finished) = on_thread.await {
            finished?;
            return Ok(());
        }
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(MARK_PROCESSED)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed == 1 {
                for (recipient, message) in replies {
                    sqlx::query(ENQUEUE)
                        .bind(recipient)
                        .bind(message.to_string())
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
