//! What can go wrong reading or writing leads.

use crate::store::StoreError;

/// An error from the leads' tables.
#[derive(Debug, thiserror::Error)]
pub enum LeadError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored lead has a stage this version does not know.
    #[error("lead `{sender}`: unknown stored stage `{stage}`")]
    UnknownStage {
        /// The lead.
        sender: String,
        /// The stored stage.
        stage: String,
    },
}
