//! Speech-to-text behind one trait: an OpenAI-compatible HTTP endpoint, or (feature
//! `whisper`) Whisper run locally with candle.

mod config;
mod openai;
#[cfg(feature = "whisper")]
pub mod whisper;

pub use config::{DEFAULT_LANGUAGE, DEFAULT_MODEL, DEFAULT_TIMEOUT, TranscriptionConfig};
pub use openai::OpenAiTranscriber;

use crate::audio::Pcm;
use bela_engine::dialogue::actions::BoxFuture;

/// Turns speech into text. Implementations are shared by every sender's task.
pub trait Transcriber: Send + Sync {
    /// What `audio` (16 kHz mono) says, as text; empty when nothing was said.
    fn transcribe<'a>(
        &'a self,
        audio: &'a Pcm,
    ) -> BoxFuture<'a, Result<String, TranscriptionError>>;
}

/// Why a transcription failed.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptionError {
    /// The service could not be reached, timed out, or refused the request.
    #[error("transcription service: {0}")]
    Service(String),
    /// The service answered something that is not a transcript.
    #[error("unreadable transcription answer: {0}")]
    Answer(String),
    /// The audio could not be prepared (WAV, mel spectrogram).
    #[error("audio: {0}")]
    Audio(String),
    /// The local model could not be loaded or run.
    #[error("Whisper model: {0}")]
    Model(String),
    /// The configuration names something this build or machine cannot provide.
    #[error("transcription configuration: {0}")]
    Config(String),
}
