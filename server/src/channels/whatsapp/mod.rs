//! The WhatsApp Cloud API channel (`/webhooks/whatsapp`).
//!
//! Inbound: the webhook checks Meta's signature over the raw body, stores each message in
//! the durable inbox (once per wamid) and answers 200 at once; a task per sender then runs
//! the messages through the conversations, oldest first (a few turns at a time), and queues the replies in the
//! durable outbox in the same transaction that marks the message processed. Outbound: a
//! dispatcher sends the outbox through the Graph API, retrying temporary failures. Both
//! tables live in the conversation database, so a restart picks up where a crash left.

pub mod config;
mod dispatch;
mod draining;
pub mod error;
pub mod graph;
pub mod inbox;
pub mod media;
pub mod outbox;
pub mod outgoing;
pub mod payload;
mod process;
pub mod replies;
mod routes;
mod scheduled;
pub mod signature;
mod sqlite_jobs;
mod statuses;
#[cfg(test)]
mod tests;
mod voice;

pub use config::{JobTemplates, WhatsAppConfig, WhatsAppSettings};
pub use process::CHANNEL;
pub use scheduled::WhatsAppOutbound;

use crate::channels::whatsapp::graph::GraphClient;
use crate::channels::whatsapp::inbox::Inbox;
use crate::channels::whatsapp::outbox::Outbox;
use crate::conversations::Conversations;
use crate::transcription::Transcriber;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use std::sync::Arc;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;

/// What the handlers and background tasks share.
pub(crate) struct Core {
    settings: WhatsAppSettings,
    conversations: Arc<Conversations>,
    inbox: Inbox,
    outbox: Outbox,
    graph: GraphClient,
    /// Hears voice notes; `None` answers them with a request to type.
    transcriber: Option<Arc<dyn Transcriber>>,
    outbox_wakeup: Notify,
    /// The senders whose messages a task is processing.
    draining: Arc<draining::Draining>,
    /// Bounds the turns processed at once ([`draining::CONCURRENT_TURNS`]).
    turns: Semaphore,
}

impl Core {
    /// Has `sender`'s stored messages processed: by the task already at it, else by a
    /// new one.
    fn wake(self: &Arc<Self>, sender: &str) {
        if let Some(ticket) = self.draining.start(sender) {
            tokio::spawn(process::drain(self.clone(), ticket));
        }
    }
}

/// A running channel; dropping it stops its outbox dispatcher.
pub struct Channel {
    core: Arc<Core>,
    dispatcher: JoinHandle<()>,
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.dispatcher.abort();
    }
}

impl Channel {
    /// Starts the channel when `config` is complete and a dialogue model is loaded,
    /// picking up messages a previous run stored but did not process; otherwise logs
    /// one line saying why the channel is off and returns `None`. Voice notes go to
    /// `transcriber`.
    pub async fn start(
        config: &WhatsAppConfig,
        conversations: Option<Arc<Conversations>>,
        transcriber: Option<Arc<dyn Transcriber>>,
    ) -> Result<Option<Self>, error::WhatsAppError> {
        let settings = match config.complete() {
            Ok(settings) => settings,
            Err(missing) => {
                tracing::info!("WhatsApp channel off: {} not set", missing.join(", "));
                return Ok(None);
            }
        };
        let Some(conversations) = conversations else {
            tracing::warn!("WhatsApp channel off: no dialogue model is loaded");
            return Ok(None);
        };
        let graph = match GraphClient::new(&settings) {
            Ok(graph) => graph,
            Err(error) => {
                tracing::error!(%error, "WhatsApp channel off: no HTTP client");
                return Ok(None);
            }
        };
        let store = conversations.store();
        let core = Arc::new(Core {
            inbox: Inbox::new(store.clone()),
            outbox: Outbox::new(store.clone()),
            graph,
            transcriber,
            conversations,
            outbox_wakeup: Notify::new(),
            draining: Arc::default(),
            turns: Semaphore::new(draining::CONCURRENT_TURNS),
            settings,
        });
        let pending = core.inbox.pending_senders().await?;
        tracing::info!(
            url = %core.settings.messages_url(),
            pending = pending.len(),
            voice_notes = if core.transcriber.is_some() { "transcribed" } else { "asked to type" },
            "WhatsApp channel on"
        );
        for sender in pending {
            core.wake(&sender);
        }
        let dispatcher = tokio::spawn(dispatch::run(core.clone()));
        Ok(Some(Self { core, dispatcher }))
    }
}

impl Channel {
    /// The channel as the scheduler's outbound: jobs' messages join this outbox.
    pub fn outbound(&self) -> WhatsAppOutbound {
        WhatsAppOutbound::new(self.core.clone())
    }
}

/// `GET`/`POST /webhooks/whatsapp` over `channel` (404 when it is off), taking bodies of
/// at most `max_body_bytes`. Outside the token check: Meta authenticates with the verify
/// token and the body signature.
pub fn router(channel: Option<Channel>, max_body_bytes: usize) -> Router {
    Router::new()
        .route(
            "/webhooks/whatsapp",
            get(routes::verify).post(routes::receive),
        )
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(channel.map(Arc::new))
}
