//! Custom actions run by a Rasa action server (Rasa SDK or any server speaking its
//! protocol), configured by the project's `endpoints.yml`.

mod endpoint;
mod env_vars;
mod remote;
mod wire;

pub use endpoint::{
    ACTION_ENDPOINT_ENV, ACTION_TIMEOUT_ENV, ActionEndpoint, DEFAULT_ACTION_TIMEOUT, EndpointError,
};
pub use remote::{RASA_PROTOCOL_VERSION, RemoteActions};

#[cfg(test)]
mod tests;
