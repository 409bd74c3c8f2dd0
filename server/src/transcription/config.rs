//! Which transcriber runs: part of the server's [`Settings`](crate::Settings), filled
//! from `BELA_TRANSCRIBE_*` / `BELA_WHISPER_MODEL_DIR` environment variables.

use super::{OpenAiTranscriber, Transcriber, TranscriptionError};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The model asked of an OpenAI-compatible endpoint unless `BELA_TRANSCRIBE_MODEL` says.
pub const DEFAULT_MODEL: &str = "whisper-1";
/// The patients' language (ISO 639-1), given to the model so it need not guess.
pub const DEFAULT_LANGUAGE: &str = "pt";
/// How long one transcription may take before it counts as failed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Speech-to-text settings. With `url` set, the OpenAI-compatible endpoint is used; else
/// with `whisper_model_dir`, local Whisper (feature `whisper`); else none (voice notes are
/// answered with a request to type).
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptionConfig {
    /// `BELA_TRANSCRIBE_URL`: the service's base URL (`https://api.openai.com`, or a
    /// self-hosted server); requests go to `{url}/v1/audio/transcriptions`.
    pub url: Option<String>,
    /// `BELA_TRANSCRIBE_API_KEY`: sent as `Authorization: Bearer`.
    pub api_key: Option<String>,
    /// `BELA_TRANSCRIBE_MODEL`: the `model` form field.
    pub model: String,
    /// `BELA_TRANSCRIBE_LANGUAGE`: the `language` form field / Whisper's language token.
    pub language: String,
    /// `BELA_TRANSCRIBE_TIMEOUT` (seconds): the limit of one request.
    pub timeout: Duration,
    /// `BELA_WHISPER_MODEL_DIR`: a local Whisper model (`config.json`,
    /// `model.safetensors`, `tokenizer.json`).
    pub whisper_model_dir: Option<PathBuf>,
}

impl Default for TranscriptionConfig {
    fn default() -> Self {
        Self {
            url: None,
            api_key: None,
            model: DEFAULT_MODEL.into(),
            language: DEFAULT_LANGUAGE.into(),
            timeout: DEFAULT_TIMEOUT,
            whisper_model_dir: None,
        }
    }
}

impl TranscriptionConfig {
    /// `self` with every variable that is set (and not empty) applied; a timeout that is
    /// not a positive number of seconds is an error.
    pub fn with_env(mut self) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var("BELA_TRANSCRIBE_URL") {
            self.url = Some(v);
        }
        if let Some(v) = var("BELA_TRANSCRIBE_API_KEY") {
            self.api_key = Some(v);
        }
        if let Some(v) = var("BELA_TRANSCRIBE_MODEL") {
            self.model = v;
        }
        if let Some(v) = var("BELA_TRANSCRIBE_LANGUAGE") {
            self.language = v;
        }
        if let Some(v) = var("BELA_TRANSCRIBE_TIMEOUT") {
            self.timeout = v
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| format!("BELA_TRANSCRIBE_TIMEOUT={v}: not a positive number"))?;
        }
        if let Some(v) = var("BELA_WHISPER_MODEL_DIR") {
            self.whisper_model_dir = Some(v.into());
        }
        Ok(self)
    }

    /// The configured transcriber, `None` when none is configured, or why the configured
    /// one cannot run (a bad URL, a missing or invalid model directory, a build without
    /// the `whisper` feature).
    pub fn build(&self) -> Result<Option<Arc<dyn Transcriber>>, TranscriptionError> {
        if let Some(url) = &self.url {
            return Ok(Some(Arc::new(OpenAiTranscriber::new(url, self)?)));
        }
        match &self.whisper_model_dir {
            None => Ok(None),
            Some(dir) => local_whisper(dir, &self.language).map(Some),
        }
    }
}

#[cfg(feature = "whisper")]
fn local_whisper(
    dir: &std::path::Path,
    language: &str,
) -> Result<Arc<dyn Transcriber>, TranscriptionError> {
    Ok(Arc::new(super::whisper::LocalWhisper::load(dir, language)?))
}

#[cfg(not(feature = "whisper"))]
fn local_whisper(
    dir: &std::path::Path,
    _language: &str,
) -> Result<Arc<dyn Transcriber>, TranscriptionError> {
    Err(TranscriptionError::Config(format!(
        "BELA_WHISPER_MODEL_DIR={} needs a build with `--features whisper`",
        dir.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_configured_means_no_transcriber() {
        assert!(
            TranscriptionConfig::default()
                .build()
                .expect("ok")
                .is_none()
        );
    }

    #[test]
    fn a_bad_url_is_a_configuration_error() {
        let config = TranscriptionConfig {
            url: Some("not a url".into()),
            ..TranscriptionConfig::default()
        };
        let error = config.build().err().expect("refused");
        assert!(error.to_string().contains("not a url"), "{error}");
    }
}
