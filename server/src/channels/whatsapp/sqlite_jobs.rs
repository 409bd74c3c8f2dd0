//! The channel's statements as jobs for a SQLite file's connection thread.
//!
//! The webhook's inbox insert, the turn's claim and reply queueing and the dispatcher's
//! outbox updates run there, in the batch of whatever was queued with them: concurrent
//! acknowledgements share one commit with the turns' appends, and no writer holds the
//! write turn across sqlx's per-statement hops (which made every acknowledgement queue
//! behind the background turns). The SQL text is the one sqlx runs on PostgreSQL and
//! in-memory SQLite: SQLite reads `$1` as a parameter named `$1`.

use crate::store::{Access, StoreError, TrackerStore};
use rusqlite::types::Value;
use rusqlite::{Connection, Statement, ToSql};

/// Runs the one write `sql` with `values` on `store`'s SQLite thread; the rows it
/// changed, once committed. `None` when the store has no such thread.
pub(super) async fn write(
    store: &TrackerStore,
    sql: &'static str,
    values: Vec<Value>,
) -> Option<Result<usize, StoreError>> {
    store
        .on_sqlite_thread(Access::Write, move |c| {
            let values: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
            execute(c, sql, &values)
        })
        .await
}

/// Runs `sql` with `$1`, `$2`, ... bound to `values`; the rows it changed.
pub(super) fn execute(
    connection: &Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<usize> {
    let mut statement = connection.prepare_cached(sql)?;
    bind(&mut statement, values)?;
    statement.raw_execute()
}

/// Runs query `sql` with `values` bound as in [`execute`], mapping each row with `map`.
pub(super) fn query<T>(
    connection: &Connection,
    sql: &str,
    values: &[&dyn ToSql],
    mut map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = connection.prepare_cached(sql)?;
    bind(&mut statement, values)?;
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(map(row)?);
    }
    Ok(found)
}

/// Binds by name, not position: a statement may name `$3` before `$1`, or twice.
fn bind(statement: &mut Statement<'_>, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
    for (i, value) in values.iter().enumerate() {
        if let Some(index) = statement.parameter_index(&format!("${}", i + 1))? {
            statement.raw_bind_parameter(index, value)?;
        }
    }
    Ok(())
}
