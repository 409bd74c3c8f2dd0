//! What can go wrong in the channel's storage and processing.

use crate::store::StoreError;

/// A failure of the WhatsApp channel (never caused by a patient's message: those are
/// answered, not rejected).
#[derive(Debug, thiserror::Error)]
pub enum WhatsAppError {
    /// The inbox or outbox could not be read or written.
    #[error("WhatsApp inbox/outbox database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The conversation could not be opened or saved.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored row does not hold what the channel wrote there.
    #[error("unreadable stored WhatsApp message: {0}")]
    Stored(#[from] serde_json::Error),
}
