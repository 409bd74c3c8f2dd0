//! Cross-process per-sender ordering with Redis (`BELA_LOCK_STORE=redis://...`), for
//! deployments whose processes share a lock server but not PostgreSQL.
//!
//! The classic single-instance lock: `SET key token NX PX ttl` takes it, a script that
//! deletes the key only if it still holds this holder's token releases it, so a holder
//! whose lock expired can never release someone else's. While held, a background task
//! extends the expiry (by the same compare-then-act), so a long message keeps its lock and
//! a crashed process loses it after at most one `ttl`. Redis has no wait queue: waiters
//! poll with a short backoff, so across processes the order among waiters is not
//! first-come (within one process the in-process lock still is).

use crate::store::error::{StoreError, redact_url};
use bela_engine::names::SenderId;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a lock outlives a vanished holder.
const DEFAULT_TTL: Duration = Duration::from_secs(30);
/// Polling backoff while another holder has the lock.
const FIRST_RETRY: Duration = Duration::from_millis(2);
const LONGEST_RETRY: Duration = Duration::from_millis(50);

const UNLOCK: &str = "if redis.call('get', KEYS[1]) == ARGV[1] then \
                      return redis.call('del', KEYS[1]) else return 0 end";
const RENEW: &str = "if redis.call('get', KEYS[1]) == ARGV[1] then \
                     return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/// Takes and releases per-sender locks in one Redis server.
#[derive(Clone)]
pub struct RedisLocks {
    connection: ConnectionManager,
    ttl: Duration,
}

/// Holds one sender's Redis lock until [`unlock`](Self::unlock)ed or dropped.
pub struct RedisGuard {
    connection: ConnectionManager,
    key: String,
    token: String,
    renewal: JoinHandle<()>,
    sender: SenderId,
    released: bool,
}

impl RedisLocks {
    /// Connects to `url` (`redis://[:PASSWORD@]HOST[:PORT][/DB]`); reconnects by itself
    /// later if the server restarts.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let fail = |source| StoreError::Redis {
            url: redact_url(url),
            source,
        };
        let client = redis::Client::open(url).map_err(fail)?;
        // The manager retries a refused connection for seconds; one attempt fails at once.
        drop(
            client
                .get_multiplexed_async_connection()
                .await
                .map_err(fail)?,
        );
        let config = ConnectionManagerConfig::new().set_number_of_retries(3);
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(fail)?;
        Ok(Self {
            connection,
            ttl: DEFAULT_TTL,
        })
    }

    /// The same locks with another expiry for vanished holders (renewed at a third of it).
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl.max(Duration::from_millis(30));
        self
    }

    /// Waits until no one holds `sender`'s lock, then holds it. Safe to cancel: at worst a
    /// lock set just before cancelling expires after the TTL.
    pub async fn lock(&self, sender: &SenderId) -> Result<RedisGuard, StoreError> {
        let key = format!("bela:lock:conversation:{sender}");
        let token = unique_token();
        let ttl_ms = millis(self.ttl);
        let mut connection = self.connection.clone();
        let mut wait = FIRST_RETRY;
        loop {
            let set: Option<String> = redis::cmd("SET")
                .arg(&key)
                .arg(&token)
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query_async(&mut connection)
                .await
                .map_err(|e| lock_error(sender, &e))?;
            if set.is_some() {
                break;
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LONGEST_RETRY);
        }
        let renewal = tokio::spawn(keep_alive(
            connection.clone(),
            key.clone(),
            token.clone(),
            self.ttl,
            sender.clone(),
        ));
        Ok(RedisGuard {
            connection,
            key,
            token,
            renewal,
            sender: sender.clone(),
            released: false,
        })
    }
}

impl RedisGuard {
    /// Releases the lock (if it is still this guard's).
    pub async fn unlock(mut self) -> Result<(), StoreError> {
        self.released = true;
        self.renewal.abort();
        release(&mut self.connection, &self.key, &self.token)
            .await
            .map_err(|e| lock_error(&self.sender, &e))
    }
}

impl Drop for RedisGuard {
    fn drop(&mut self) {
        self.renewal.abort();
        if self.released {
            return;
        }
        // Without a runtime the key simply expires after the TTL.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (mut connection, key, token) = (
                self.connection.clone(),
                std::mem::take(&mut self.key),
                std::mem::take(&mut self.token),
            );
            let sender = self.sender.clone();
            runtime.spawn(async move {
                if let Err(e) = release(&mut connection, &key, &token).await {
                    tracing::warn!(%sender, error = %e, "releasing a conversation lock failed");
                }
            });
        }
    }
}

async fn release(
    connection: &mut ConnectionManager,
    key: &str,
    token: &str,
) -> redis::RedisResult<()> {
    let _deleted: i64 = redis::cmd("EVAL")
        .arg(UNLOCK)
        .arg(1)
        .arg(key)
        .arg(token)
        .query_async(connection)
        .await?;
    Ok(())
}

/// Extends the lock every third of its TTL for as long as the guard lives.
async fn keep_alive(
    mut connection: ConnectionManager,
    key: String,
    token: String,
    ttl: Duration,
    sender: SenderId,
) {
    loop {
        tokio::time::sleep(ttl / 3).await;
        let renewed: redis::RedisResult<i64> = redis::cmd("EVAL")
            .arg(RENEW)
            .arg(1)
            .arg(&key)
            .arg(&token)
            .arg(millis(ttl))
            .query_async(&mut connection)
            .await;
        match renewed {
            Ok(1) => {}
            Ok(_) => {
                tracing::warn!(%sender, "conversation lock expired before its holder finished");
                return;
            }
            // A transient failure: try again next period, while the TTL still runs.
            Err(e) => tracing::warn!(%sender, error = %e, "renewing a conversation lock failed"),
        }
    }
}

/// A token no other holder (in any process) uses: OS-seeded randomness plus a counter.
fn unique_token() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let random = RandomState::new().hash_one(NEXT.fetch_add(1, Ordering::Relaxed));
    format!("{}-{random:016x}", std::process::id())
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn lock_error(sender: &SenderId, e: &redis::RedisError) -> StoreError {
    StoreError::Lock {
        sender: sender.clone(),
        reason: e.to_string(),
    }
}
