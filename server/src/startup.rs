//! Builds the router and binds the listener.

use crate::channels::whatsapp;
use crate::error::ApiError;
use crate::jobs::{Scheduler, SchedulerTask};
use crate::settings::Settings;
use crate::state::AppState;
use crate::{auth, routes};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// A bound, not yet running server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    scheduler: Option<Arc<Scheduler>>,
    /// The scheduler's loop, stopped with the server.
    _scheduler_task: Option<SchedulerTask>,
}

impl Application {
    /// Binds `settings.host:settings.port` and prepares the routes over `state`,
    /// starting the WhatsApp channel when it is configured and, when a dialogue model is
    /// loaded, the scheduled jobs (their loop only when `settings.jobs.enabled`).
    pub async fn build(settings: &Settings, state: AppState) -> std::io::Result<Self> {
        crate::tls::install_crypto_provider();
        let listener = TcpListener::bind(SocketAddr::new(settings.host, settings.port)).await?;
        // A transcriber configured but unusable (bad URL, broken model) stops start-up
        // rather than leaving every voice note unheard.
        let transcriber = settings
            .transcription
            .build()
            .map_err(std::io::Error::other)?;
        let whatsapp = whatsapp::Channel::start(
            &settings.whatsapp,
            state.conversations_handle(),
            transcriber,
        )
        .await
        .map_err(std::io::Error::other)?;
        let scheduler = state.conversations_handle().map(|conversations| {
            let mut scheduler = Scheduler::new(conversations, settings.jobs.clone());
            if let Some(channel) = &whatsapp {
                scheduler = scheduler.with_outbound(Arc::new(channel.outbound()));
            }
            Arc::new(scheduler)
        });
        let task = scheduler
            .as_ref()
            .filter(|_| settings.jobs.enabled)
            .map(|s| SchedulerTask(s.clone().spawn()));
        if task.is_some() {
            tracing::info!(interval = ?settings.jobs.interval, "scheduled jobs on");
        }
        Ok(Self {
            listener,
            router: router(state, settings)
                .merge(whatsapp::router(whatsapp, settings.max_body_bytes)),
            scheduler,
            _scheduler_task: task,
        })
    }

    /// The scheduler (when a dialogue model is loaded), to run due jobs by hand (tests).
    pub fn scheduler(&self) -> Option<Arc<Scheduler>> {
        self.scheduler.clone()
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until Ctrl-C / SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
}

/// All routes; the token / JWT check wraps them.
pub fn router(state: AppState, settings: &Settings) -> Router {
    Router::new()
        .route("/", get(routes::status::hello))
        .route("/health", get(routes::status::health))
        .route("/version", get(routes::status::version))
        .route("/status", get(routes::status::status))
        .route("/model/parse", post(routes::parse::parse))
        .route("/openapi.json", get(routes::openapi::openapi))
        .route("/domain", get(routes::domain::domain))
        .route("/webhooks/rest/webhook", post(routes::webhook::receive))
        .route(
            "/conversations/{id}/tracker",
            get(routes::tracker::get_tracker),
        )
        .route(
            "/conversations/{id}/tracker/events",
            post(routes::tracker::append_events).put(routes::tracker::replace_events),
        )
        .route(
            "/conversations/{id}/messages",
            post(routes::tracker::add_message),
        )
        .route(
            "/conversations/{id}/trigger_intent",
            post(routes::conversation::trigger_intent),
        )
        .route(
            "/conversations/{id}/predict",
            post(routes::conversation::predict),
        )
        .route(
            "/conversations/{id}/execute",
            post(routes::conversation::execute),
        )
        .route("/appointments", get(routes::appointments::list))
        .route(
            "/appointments/{id}/status",
            put(routes::appointments::set_status),
        )
        .route("/leads", get(routes::leads::list))
        .route("/leads/{sender}", get(routes::leads::get))
        .route("/leads/{sender}/stage", put(routes::leads::set_stage))
        .route(
            "/campaigns/reactivation",
            post(routes::campaigns::reactivation),
        )
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "this endpoint does not take that HTTP method",
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(auth::Auth::from_settings(settings)),
            auth::require_auth,
        ))
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
