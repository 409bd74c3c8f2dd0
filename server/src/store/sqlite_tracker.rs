//! The tracker store's hot path on a SQLite file's own connection (see
//! [`SqliteThread`](crate::store::sqlite_thread::SqliteThread)): loading a conversation,
//! its length, and appending to it, each as synchronous calls with prepared statements.

use crate::store::tracker_sql::{
    CLAIM_APPEND, COUNT, CheckedEvent, ENSURE_CONVERSATION, LOAD_FROM, LOAD_LATEST_SESSION,
    from_db, latest_time, to_db,
};
use rusqlite::{Connection, OptionalExtension, named_params};
use serde::de::DeserializeOwned;

/// One event per statement: on a synchronous connection a prepared insert costs no round
/// trip, and needs no SQL built per batch.
const INSERT_EVENT: &str = "INSERT INTO events (sender_id, seq, type_name, timestamp, data) \
                            VALUES ($1, $2, $3, $4, $5)";

/// Why a job on the connection failed.
#[derive(Debug)]
pub(super) enum Failure {
    /// SQLite refused.
    Sqlite(rusqlite::Error),
    /// The stored event at `seq` does not read as an event.
    Corrupt { seq: u64, reason: String },
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

/// Events of `sender` from position `from` (the latest session when `None`), with the
/// position of the first one.
pub(super) fn fetch<E: DeserializeOwned>(
    connection: &Connection,
    sender: &str,
    from: Option<u64>,
) -> Result<(Option<u64>, Vec<E>), Failure> {
    let sql = if from.is_some() {
        LOAD_FROM
    } else {
        LOAD_LATEST_SESSION
    };
    let mut query = connection.prepare_cached(sql)?;
    let mut rows = match from {
        Some(from) => query.query(named_params! {"$1": sender, "$2": to_db(from)})?,
        None => query.query(named_params! {"$1": sender})?,
    };
    let (mut first, mut events) = (None, Vec::new());
    while let Some(row) = rows.next()? {
        let seq = from_db(row.get(0)?);
        first.get_or_insert(seq);
        // Straight from the stored text to the event, with no JSON tree in between.
        let data = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        events.push(serde_json::from_str(data).map_err(|e| Failure::Corrupt {
            seq,
            reason: e.to_string(),
        })?);
    }
    Ok((first, events))
}

/// How many events `sender`'s conversation holds (0 for an unknown one).
pub(super) fn len(connection: &Connection, sender: &str) -> rusqlite::Result<u64> {
    let count: Option<i64> = connection
        .prepare_cached(COUNT)?
        .query_row(named_params! {"$1": sender}, |row| row.get(0))
        .optional()?;
    Ok(count.map_or(0, from_db))
}

/// Appends `rows` to `sender`'s conversation if it holds exactly `expected_len` events:
/// `Ok(new length)`, or `Err(actual length)` with nothing written. Runs inside the
/// caller's transaction (the thread's savepoint), which an error rolls back.
pub(super) fn append(
    connection: &Connection,
    sender: &str,
    expected_len: u64,
    rows: &[CheckedEvent],
) -> rusqlite::Result<Result<u64, u64>> {
    let new_len = expected_len + rows.len() as u64;
    // A conversation with events has its row already.
    if expected_len == 0 {
        connection
            .prepare_cached(ENSURE_CONVERSATION)?
            .execute(named_params! {"$1": sender})?;
    }
    let claimed = connection
        .prepare_cached(CLAIM_APPEND)?
        .execute(named_params! {
            "$1": sender,
            "$2": to_db(new_len),
            "$3": latest_time(rows),
            "$4": to_db(expected_len),
        })?;
    if claimed == 0 {
        return Ok(Err(len(connection, sender)?));
    }
    {
        let mut insert = connection.prepare_cached(INSERT_EVENT)?;
        for (seq, row) in (expected_len..).zip(rows) {
            insert.execute(named_params! {
                "$1": sender,
                "$2": to_db(seq),
                "$3": row.type_name,
                "$4": row.timestamp,
                "$5": row.data.get(),
            })?;
        }
    }
    Ok(Ok(new_len))
}
