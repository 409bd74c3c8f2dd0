//! The engine's error type. User errors (bad data, bad configuration, a model of another
//! format version) are kept apart from internal ones so callers can map them (the server
//! to 4xx vs 5xx, the CLI to a plain message).

use crate::data::Location;
use std::path::PathBuf;

/// Result alias for the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A data or configuration file is malformed at a known place.
    #[error("{location}: {message}")]
    Syntax {
        /// Where the problem is.
        location: Location,
        /// A plain sentence saying what is wrong.
        message: String,
    },
    /// Training data failed validation; the diagnostics say where and why.
    #[error("the training data has {} error(s); the first: {}", .0.len(), .0.first().map(|d| d.to_string()).unwrap_or_default())]
    InvalidData(Vec<crate::data::Diagnostic>),
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A configuration file has errors; the diagnostics (warnings included) say where.
    #[error("the configuration has {} error(s); the first: {}", .0.iter().filter(|d| d.severity == crate::data::Severity::Error).count(), .0.iter().find(|d| d.severity == crate::data::Severity::Error).map(|d| d.to_string()).unwrap_or_default())]
    InvalidConfig(Vec<crate::data::Diagnostic>),
    /// Input given to the engine at run time is unusable (empty text, bad reference time...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// No trained model was found where one was expected.
    #[error("no trained model found in {0}; run `bela train` first")]
    ModelNotFound(PathBuf),
    /// A model was written by another, incompatible version of the model format.
    #[error(
        "the model at {path} has format version {found}, but this build of Bela reads version {expected}; retrain it with `bela train --force`"
    )]
    ModelVersion {
        /// The model directory.
        path: PathBuf,
        /// The version recorded in the model.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// A model directory is incomplete or corrupt.
    #[error("the model at {path} is corrupt: {message}")]
    ModelCorrupt {
        /// The model directory.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A tensor operation failed (an internal error).
    #[error("tensor error: {0}")]
    Tensor(#[from] candle_core::Error),
    /// JSON (de)serialisation failed (an internal error unless reading user input).
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the error is the user's to fix (data, configuration, input, model
    /// version) rather than a fault of the engine.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Self::Tensor(_) | Self::Json(_))
    }
}
