//! What can go wrong scheduling or running jobs.

use crate::store::StoreError;

/// An error from the jobs' tables or from running a job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The database (or a conversation lock) failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The job's action failed in the dialogue engine.
    #[error("the job's action failed: {0}")]
    Action(String),
    /// A channel could not take the job's messages.
    #[error("delivery through {channel} failed: {reason}")]
    Delivery {
        /// The channel.
        channel: String,
        /// Why.
        reason: String,
    },
    /// A stored job is unreadable (unknown kind, corrupt payload).
    #[error("job {id}: {reason}")]
    Corrupt {
        /// The row.
        id: i64,
        /// What is wrong.
        reason: String,
    },
}

impl JobError {
    /// A database error on the store at `url`.
    pub(crate) fn database(url: &str, source: sqlx::Error) -> Self {
        Self::Store(StoreError::Database {
            url: url.to_owned(),
            source,
        })
    }
}
