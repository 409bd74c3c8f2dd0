//! Delivery statuses Meta reports for the messages the bot sent.

use crate::channels::whatsapp::error::WhatsAppError;
use crate::channels::whatsapp::payload::Status;
use crate::channels::whatsapp::sqlite_jobs::write;
use crate::store::TrackerStore;
use crate::store::backend::on_pool;
use rusqlite::types::Value;

const RECORD: &str = "INSERT INTO whatsapp_statuses (wamid, status, recipient, timestamp, errors) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (wamid, status) DO NOTHING";

/// Stores `status` (once per message and status).
pub async fn record(store: &TrackerStore, status: &Status) -> Result<(), WhatsAppError> {
    let errors = status.errors.as_ref().map(|e| e.to_string());
    let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_owned()));
    let values = vec![
        Value::Text(status.id.clone()),
        Value::Text(status.status.clone()),
        text(status.recipient_id.as_deref()),
        text(status.timestamp.as_deref()),
        text(errors.as_deref()),
    ];
    // On a SQLite file, the webhook's status rows join the thread's group commit.
    if let Some(recorded) = write(store, RECORD, values).await {
        recorded?;
        return Ok(());
    }
    let _writing = store.serialize_write().await;
    on_pool!(store.backend(), pool => {
        sqlx::query(RECORD)
            .bind(&status.id)
            .bind(&status.status)
            .bind(status.recipient_id.as_deref())
            .bind(status.timestamp.as_deref())
            .bind(errors.as_deref())
            .execute(pool)
            .await?;
    });
    Ok(())
}
