//! Audio for speech-to-text: WhatsApp voice notes (OGG/Opus) decoded to 16 kHz mono PCM,
//! and that PCM written as WAV for upload.

mod ogg_opus;
mod opus;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
mod wav;

pub use ogg_opus::{DecodeError, MAX_SECONDS, decode_ogg_opus};
pub use wav::{WavError, to_wav};

/// The sample rate speech-to-text models take (Whisper's), and the one audio is decoded to.
pub const SAMPLE_RATE: u32 = 16_000;

/// Mono 16-bit PCM at [`SAMPLE_RATE`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pcm {
    /// The samples, one per 1/16000 s.
    pub samples: Vec<i16>,
}

impl Pcm {
    /// How long the audio lasts, in seconds.
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(SAMPLE_RATE)
    }

    /// The samples as floats in [-1, 1] (what Whisper's mel spectrogram takes).
    pub fn to_f32(&self) -> Vec<f32> {
        self.samples
            .iter()
            .map(|&s| f32::from(s) / 32768.0)
            .collect()
    }
}
