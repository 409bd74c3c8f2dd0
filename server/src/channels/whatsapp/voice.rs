//! Voice notes to text: the medium is downloaded from the Graph API, decoded from
//! OGG/Opus to 16 kHz mono and given to the configured transcriber.

use crate::audio::{DecodeError, decode_ogg_opus};
use crate::channels::whatsapp::Core;
use crate::channels::whatsapp::media::MediaError;
use crate::channels::whatsapp::payload::Message;
use crate::transcription::TranscriptionError;

/// Why a voice note gave no text.
#[derive(Debug, thiserror::Error)]
pub(super) enum VoiceError {
    /// No transcriber is configured.
    #[error("no transcriber is configured")]
    NoTranscriber,
    /// The message names no medium.
    #[error("the audio message has no media id")]
    NoMedia,
    /// The download failed.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The file is not decodable OGG/Opus.
    #[error("undecodable audio: {0}")]
    Decode(#[from] DecodeError),
    /// The transcriber failed.
    #[error(transparent)]
    Transcription(#[from] TranscriptionError),
    /// The transcriber heard nothing.
    #[error("the transcript is empty")]
    Silent,
}

/// What `message` (an audio message) says.
pub(super) async fn transcribe(core: &Core, message: &Message) -> Result<String, VoiceError> {
    let transcriber = core.transcriber.as_ref().ok_or(VoiceError::NoTranscriber)?;
    let media_id = message.audio_id().ok_or(VoiceError::NoMedia)?;
    let media = core.graph.download_media(media_id).await?;
    // Decoding is CPU work: keep it off the threads serving webhooks.
    let pcm = tokio::task::spawn_blocking(move || decode_ogg_opus(&media.bytes))
        .await
        .map_err(|e| TranscriptionError::Audio(format!("decoder task: {e}")))??;
    let text = transcriber.transcribe(&pcm).await?;
    if text.trim().is_empty() {
        return Err(VoiceError::Silent);
    }
    Ok(text)
}
