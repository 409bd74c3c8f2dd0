//! Sending the outbox: each due reply once, retrying temporary failures with exponential
//! backoff and jitter, recording permanent ones.

use crate::channels::whatsapp::Core;
use crate::channels::whatsapp::error::WhatsAppError;
use crate::channels::whatsapp::graph::{SendError, WINDOW_CLOSED};
use crate::channels::whatsapp::outbox::DueReply;
use crate::channels::whatsapp::outgoing::addressed;
use crate::routes::body::now;
use serde_json::{Value, json};
use std::hash::BuildHasher;
use std::sync::Arc;
use std::time::Duration;

/// Replies fetched per round.
const BATCH: i64 = 50;
/// Longest wait between looks at the outbox (a reply queued by another process, or a
/// retry that came due, is picked up within this).
const MAX_IDLE: Duration = Duration::from_secs(5);
/// Longest backoff between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// Sends replies until the channel stops.
pub async fn run(core: Arc<Core>) {
    loop {
        let idle = match send_due(&core).await {
            Ok(0) => idle_time(&core).await,
            Ok(_) => continue,
            Err(error) => {
                tracing::error!(%error, "WhatsApp outbox unavailable");
                MAX_IDLE
            }
        };
        tokio::select! {
            () = core.outbox_wakeup.notified() => {}
            () = tokio::time::sleep(idle) => {}
        }
    }
}

/// Sends every reply due now; returns how many were tried.
async fn send_due(core: &Core) -> Result<usize, WhatsAppError> {
    let due = core.outbox.due(now(), BATCH).await?;
    for reply in &due {
        send_one(core, reply).await?;
    }
    Ok(due.len())
}

async fn send_one(core: &Core, reply: &DueReply) -> Result<(), WhatsAppError> {
    // Twice the request timeout: a send still in flight is never taken over.
    let lease = 2.0 * core.settings.config.request_timeout.as_secs_f64();
    if !core.outbox.claim(reply, now() + lease).await? {
        return Ok(());
    }
    let body: Value = match serde_json::from_str(&reply.message) {
        Ok(body) => body,
        Err(error) => return core.outbox.fail(reply.id, &error.to_string()).await,
    };
    let attempt = u32::try_from(reply.attempts)
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    match core.graph.send(&body).await {
        Ok(wamid) => core.outbox.mark_sent(reply.id, &wamid).await,
        Err(SendError::Retryable(error)) if attempt < core.settings.config.max_attempts => {
            let delay = backoff(core.settings.config.retry_base, attempt, reply.id);
            tracing::warn!(id = reply.id, attempt, ?delay, %error, "WhatsApp send will be retried");
            let at = now() + delay.as_secs_f64();
            core.outbox.retry_at(reply.id, at, &error).await
        }
        Err(SendError::Permanent {
            code: Some(WINDOW_CLOSED),
            message,
        }) if let Some(template) = fallback(core, reply, &body) => {
            tracing::warn!(id = reply.id, %message, "24-hour window closed: sending the template");
            let template = addressed(&reply.recipient, &template).to_string();
            core.outbox
                .replace(reply.id, &template, &message, now())
                .await
        }
        Err(error) => {
            tracing::error!(id = reply.id, attempt, %error, "WhatsApp reply not delivered");
            core.outbox.fail(reply.id, &error.to_string()).await
        }
    }
}

/// The template message replacing `body`: the one its job queued with it, else the
/// configured fallback; none when `body` is a template already (a refused template is not
/// replaced by itself).
fn fallback(core: &Core, reply: &DueReply, body: &Value) -> Option<Value> {
    if body["type"] == "template" {
        return None;
    }
    if let Some(own) = reply
        .fallback
        .as_deref()
        .and_then(|f| serde_json::from_str::<Value>(f).ok())
    {
        return Some(own);
    }
    let config = &core.settings.config;
    let name = config.fallback_template.as_ref()?;
    Some(json!({"type": "template", "template": {
        "name": name, "language": {"code": config.fallback_template_language}
    }}))
}

/// How long to wait before the next look: until the next retry is due, at most
/// [`MAX_IDLE`].
async fn idle_time(core: &Core) -> Duration {
    match core.outbox.next_due().await {
        Ok(Some(at)) => Duration::try_from_secs_f64(at - now())
            .unwrap_or(Duration::ZERO)
            .min(MAX_IDLE),
        _ => MAX_IDLE,
    }
}

/// The wait before attempt `attempt + 1`: `base · 2^(attempt-1)`, capped, with "equal
/// jitter" (half fixed, half random) so retries of many replies spread out.
fn backoff(base: Duration, attempt: u32, seed: i64) -> Duration {
    let exponential = base
        .saturating_mul(1 << attempt.saturating_sub(1).min(20))
        .min(MAX_BACKOFF);
    // A fresh random hasher key per call: randomness without a dependency.
    let random = std::collections::hash_map::RandomState::new().hash_one(seed);
    let fraction = (random % 1000) as f64 / 1000.0;
    exponential.mul_f64(0.5 + 0.5 * fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter_and_is_capped() {
        let base = Duration::from_secs(2);
        for attempt in 1..6 {
            let full = base * (1 << (attempt - 1));
            let got = backoff(base, attempt, 7);
            assert!(got >= full / 2 && got <= full, "attempt {attempt}: {got:?}");
        }
        assert!(backoff(base, 40, 7) <= MAX_BACKOFF);
        let spread: std::collections::HashSet<_> = (0..20).map(|i| backoff(base, 3, i)).collect();
        assert!(spread.len() > 1, "jitter varies");
    }
}
