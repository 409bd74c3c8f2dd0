//! The tracker tables' SQL and rows, shared by the pooled path (PostgreSQL, in-memory
//! SQLite) and the SQLite file's own connection. Both databases accept `$1` placeholders
//! (SQLite takes them as parameters named `$1`, ...) and `ON CONFLICT`.

use crate::store::error::StoreError;
use crate::store::event::EventRecord;
use serde_json::value::RawValue;

pub(super) const ENSURE_CONVERSATION: &str =
    "INSERT INTO conversations (sender_id) VALUES ($1) ON CONFLICT (sender_id) DO NOTHING";
/// Moves the conversation's version from `$4` to `$2`; touches no row when another writer
/// moved it first.
pub(super) const CLAIM_APPEND: &str = "UPDATE conversations \
     SET event_count = $2, latest_event_time = $3 WHERE sender_id = $1 AND event_count = $4";
pub(super) const SET_LENGTH: &str =
    "UPDATE conversations SET event_count = $2, latest_event_time = $3 WHERE sender_id = $1";
/// Followed by the rows' `VALUES`.
pub(super) const INSERT_EVENTS: &str =
    "INSERT INTO events (sender_id, seq, type_name, timestamp, data) ";
pub(super) const COUNT: &str = "SELECT event_count FROM conversations WHERE sender_id = $1";
pub(super) const LOAD_FROM: &str =
    "SELECT seq, data FROM events WHERE sender_id = $1 AND seq >= $2 ORDER BY seq";
/// The latest session: from the `action_session_start` right before its
/// `session_started` (everything when there is none), in one round trip.
pub(super) const LOAD_LATEST_SESSION: &str = "SELECT seq, data FROM events \
     WHERE sender_id = $1 AND seq >= \
     COALESCE((SELECT MAX(seq) - 1 FROM events \
               WHERE sender_id = $1 AND type_name = 'session_started'), 0) \
     ORDER BY seq";

/// An event checked and ready to be written.
pub(super) struct CheckedEvent {
    pub(super) type_name: String,
    pub(super) timestamp: f64,
    /// The event's JSON, serialised once for whichever database stores it.
    pub(super) data: Box<RawValue>,
}

/// Checks every event before anything is written, so a bad one rejects the whole batch.
pub(super) fn to_rows<E: EventRecord>(events: &[E]) -> Result<Vec<CheckedEvent>, StoreError> {
    events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let invalid = |reason| StoreError::InvalidEvent { index, reason };
            Ok(CheckedEvent {
                type_name: event.type_name().map_err(invalid)?.to_owned(),
                timestamp: event.timestamp().map_err(invalid)?,
                data: serde_json::value::to_raw_value(event).map_err(|e| invalid(e.to_string()))?,
            })
        })
        .collect()
}

/// The latest event time a batch sets on its conversation.
pub(super) fn latest_time(rows: &[CheckedEvent]) -> Option<f64> {
    rows.last().map(|r| r.timestamp)
}

/// Lengths are `BIGINT`/`INTEGER` (signed) in the database; no conversation nears 2^63.
pub(super) fn to_db(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn from_db(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
