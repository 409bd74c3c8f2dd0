//! Cross-process per-sender ordering with PostgreSQL advisory locks.
//!
//! Advisory locks belong to a database session, so the connection that took the lock
//! must be the one that releases it: each guard keeps its connection checked out of a
//! pool reserved for locks (so held locks can never starve the store's own queries). A
//! connection whose lock state is unknown (a cancelled wait, a failed unlock) is closed
//! rather than returned to the pool, which makes the server drop its locks.

use crate::store::error::StoreError;
use bela_engine::names::SenderId;
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgPool;
use sqlx::{Postgres, Row};

/// Takes and releases `pg_advisory_lock`s keyed by sender.
#[derive(Clone, Debug)]
pub struct PgAdvisoryLocks {
    pool: PgPool,
}

/// Holds one sender's advisory lock until [`unlock`](Self::unlock)ed or dropped.
pub struct PgAdvisoryGuard {
    connection: Option<PoolConnection<Postgres>>,
    key: i64,
    sender: SenderId,
}

impl PgAdvisoryLocks {
    /// Locks on connections from `pool`, which should serve nothing else: every held or
    /// awaited lock keeps one connection, so its size bounds how many conversations this
    /// process handles at once.
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Waits (in PostgreSQL's queue) until no session holds `sender`'s lock, then holds it.
    /// Safe to cancel: an abandoned wait closes its connection.
    pub async fn lock(&self, sender: &SenderId) -> Result<PgAdvisoryGuard, StoreError> {
        let lock_error = |e: sqlx::Error| StoreError::Lock {
            sender: sender.clone(),
            reason: e.to_string(),
        };
        let key = advisory_key(sender);
        let mut pending = Pending(Some(self.pool.acquire().await.map_err(lock_error)?));
        if let Some(connection) = pending.0.as_mut() {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(key)
                .execute(&mut **connection)
                .await
                .map_err(lock_error)?;
        }
        Ok(PgAdvisoryGuard {
            connection: pending.0.take(),
            key,
            sender: sender.clone(),
        })
    }
}

impl PgAdvisoryGuard {
    /// Releases the lock and returns the connection to the pool.
    pub async fn unlock(mut self) -> Result<(), StoreError> {
        match self.connection.take() {
            Some(connection) => {
                unlock(connection, self.key)
                    .await
                    .map_err(|reason| StoreError::Lock {
                        sender: self.sender.clone(),
                        reason,
                    })
            }
            None => Ok(()),
        }
    }
}

impl Drop for PgAdvisoryGuard {
    fn drop(&mut self) {
        let Some(mut connection) = self.connection.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let (key, sender) = (self.key, self.sender.clone());
                runtime.spawn(async move {
                    if let Err(reason) = unlock(connection, key).await {
                        tracing::warn!(%sender, %reason, "releasing a conversation lock failed");
                    }
                });
            }
            // No runtime to unlock on: closing the session releases its locks.
            Err(_) => connection.close_on_drop(),
        }
    }
}

/// A connection between acquisition and a confirmed lock; closed if abandoned.
struct Pending(Option<PoolConnection<Postgres>>);

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(connection) = self.0.as_mut() {
            connection.close_on_drop();
        }
    }
}

async fn unlock(mut connection: PoolConnection<Postgres>, key: i64) -> Result<(), String> {
    let result = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(key)
        .fetch_one(&mut *connection)
        .await
        .and_then(|row| row.try_get::<bool, _>(0));
    match result {
        Ok(true) => Ok(()),
        Ok(false) => {
            connection.close_on_drop();
            Err("the session did not hold the lock".into())
        }
        Err(e) => {
            connection.close_on_drop();
            Err(e.to_string())
        }
    }
}

/// A stable 64-bit key per sender, the same in every process and build (unlike `std`'s
/// hasher); the prefix keeps it apart from keys other applications are likely to use.
fn advisory_key(sender: &SenderId) -> i64 {
    let hash = fnv1a(
        b"bela:conversation:"
            .iter()
            .chain(sender.as_str().as_bytes()),
    );
    i64::from_ne_bytes(hash.to_ne_bytes())
}

/// 64-bit FNV-1a.
fn fnv1a<'a>(bytes: impl IntoIterator<Item = &'a u8>) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .into_iter()
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // Changing the hash would let two versions' processes lock different keys.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn keys_differ_per_sender() {
        let a = advisory_key(&SenderId::new("5511999990000"));
        assert_eq!(a, advisory_key(&SenderId::new("5511999990000")));
        assert_ne!(a, advisory_key(&SenderId::new("5511999990001")));
    }
}
