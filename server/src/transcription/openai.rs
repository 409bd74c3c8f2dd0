//! An OpenAI-compatible `POST /v1/audio/transcriptions` client (OpenAI's Whisper, or a
//! self-hosted server speaking the same API: faster-whisper-server, whisper.cpp's, ...).

use super::{Transcriber, TranscriptionConfig, TranscriptionError};
use crate::audio::{Pcm, to_wav};
use bela_engine::dialogue::actions::BoxFuture;
use reqwest::Url;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;

/// Longest part of an error answer quoted in the error.
const QUOTED_CHARS: usize = 300;

/// Uploads the audio as a 16 kHz mono WAV and reads `{"text": ...}`.
#[derive(Debug, Clone)]
pub struct OpenAiTranscriber {
    http: reqwest::Client,
    url: Url,
    api_key: Option<String>,
    model: String,
    language: String,
}

#[derive(Deserialize)]
struct Answer {
    text: String,
}

impl OpenAiTranscriber {
    /// A client of the service at `base` (with or without a trailing `/v1`), with the
    /// model, language, key and timeout of `config`.
    pub fn new(base: &str, config: &TranscriptionConfig) -> Result<Self, TranscriptionError> {
        let base = base.trim_end_matches('/');
        let base = base.strip_suffix("/v1").unwrap_or(base);
        let url = Url::parse(&format!("{base}/v1/audio/transcriptions"))
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                TranscriptionError::Config(format!(
                    "BELA_TRANSCRIBE_URL={base}: not an http(s) URL"
                ))
            })?;
        let http = crate::tls::client_builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| TranscriptionError::Config(format!("no HTTP client: {e}")))?;
        Ok(Self {
            http,
            url,
            api_key: config.api_key.clone(),
            model: config.model.clone(),
            language: config.language.clone(),
        })
    }

    /// Where the audio is posted.
    pub fn url(&self) -> &Url {
        &self.url
    }

    async fn request(&self, audio: &Pcm) -> Result<String, TranscriptionError> {
        let wav = to_wav(audio).map_err(|e| TranscriptionError::Audio(e.to_string()))?;
        let file = Part::bytes(wav)
            .file_name("voice-note.wav")
            .mime_str("audio/wav")
            .map_err(|e| TranscriptionError::Audio(e.to_string()))?;
        let form = Form::new()
            .part("file", file)
            .text("model", self.model.clone())
            .text("language", self.language.clone())
            .text("response_format", "json");
        let mut request = self.http.post(self.url.clone()).multipart(form);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| TranscriptionError::Service(e.to_string()))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| TranscriptionError::Service(e.to_string()))?;
        if !status.is_success() {
            let quoted: String = body.chars().take(QUOTED_CHARS).collect();
            return Err(TranscriptionError::Service(format!(
                "HTTP {}: {quoted}",
                status.as_u16()
            )));
        }
        let answer: Answer = serde_json::from_str(&body).map_err(|e| {
            let quoted: String = body.chars().take(QUOTED_CHARS).collect();
            TranscriptionError::Answer(format!("{e}: {quoted}"))
        })?;
        Ok(answer.text.trim().to_owned())
    }
}

impl Transcriber for OpenAiTranscriber {
    fn transcribe<'a>(
        &'a self,
        audio: &'a Pcm,
    ) -> BoxFuture<'a, Result<String, TranscriptionError>> {
        Box::pin(self.request(audio))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_path_is_added_once() {
        let config = TranscriptionConfig::default();
        for base in [
            "https://api.openai.com",
            "https://api.openai.com/",
            "https://api.openai.com/v1",
        ] {
            let client = OpenAiTranscriber::new(base, &config).expect("valid");
            assert_eq!(
                client.url().as_str(),
                "https://api.openai.com/v1/audio/transcriptions"
            );
        }
        assert!(OpenAiTranscriber::new("ftp://example.com", &config).is_err());
    }
}
