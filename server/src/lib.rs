//! Bela's HTTP server: Rasa-compatible REST endpoints over the engine.
//!
//! [`Application::build`] binds its own listener (port 0 picks a free one), so tests
//! spawn the real server on loopback.

pub mod actions;
pub mod audio;
mod auth;
pub mod calendar;
pub mod channels;
pub mod conversations;
pub mod error;
pub mod jobs;
pub mod leads;
pub mod privacy;
mod routes;
pub mod settings;
mod startup;
mod state;
pub mod store;
pub mod tls;
pub mod transcription;

pub use settings::Settings;
pub use startup::Application;
pub use state::AppState;
