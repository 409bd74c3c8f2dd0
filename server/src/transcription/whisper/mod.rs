//! Local Whisper (feature `whisper`): a Hugging Face Whisper checkpoint run on the CPU with
//! candle-transformers, greedy decoding in the configured language, no timestamps.

mod mel;
#[cfg(test)]
mod tests;

use super::{Transcriber, TranscriptionError};
use crate::audio::Pcm;
use bela_engine::dialogue::actions::BoxFuture;
use candle_core::{Device, IndexOp, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::whisper::{self as m, Config, model::Whisper};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokenizers::Tokenizer;

/// A Whisper model loaded from a directory of `config.json`, `model.safetensors` and
/// `tokenizer.json` (a Hugging Face checkpoint such as `openai/whisper-small`).
#[derive(Clone)]
pub struct LocalWhisper {
    inner: Arc<Inner>,
}

struct Inner {
    /// Decoding mutates the key/value caches: one transcription at a time.
    model: Mutex<Whisper>,
    tokenizer: Tokenizer,
    filters: Vec<f32>,
    /// `<|startoftranscript|>`, the language, `<|transcribe|>`, `<|notimestamps|>`.
    prompt: [u32; 4],
    end: u32,
    /// Per token id: never chosen (the checkpoint's `suppress_tokens`, the prompt's
    /// special tokens, and timestamps, which follow `<|notimestamps|>`).
    suppressed: Vec<bool>,
    device: Device,
}

impl LocalWhisper {
    /// Loads the model in `dir`, transcribing `language` (ISO 639-1, `pt`).
    pub fn load(dir: &Path, language: &str) -> Result<Self, TranscriptionError> {
        let file = |name: &str| {
            let path = dir.join(name);
            if path.is_file() {
                Ok(path)
            } else {
                Err(model_error(dir, format!("{name} is missing")))
            }
        };
        let config = std::fs::read_to_string(file("config.json")?)
            .map_err(|e| model_error(dir, format!("config.json: {e}")))?;
        let config: Config = serde_json::from_str(&config)
            .map_err(|e| model_error(dir, format!("config.json: {e}")))?;
        let tokenizer = Tokenizer::from_file(file("tokenizer.json")?)
            .map_err(|e| model_error(dir, format!("tokenizer.json: {e}")))?;
        let weights = std::fs::read(file("model.safetensors")?)
            .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, m::DTYPE, &device)
            .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        let model = Whisper::load(&vb, config.clone())
            .map_err(|e| model_error(dir, format!("model.safetensors: {e}")))?;
        let token = |name: &str| {
            tokenizer
                .token_to_id(name)
                .ok_or_else(|| model_error(dir, format!("tokenizer.json has no {name} token")))
        };
        let prompt = [
            token(m::SOT_TOKEN)?,
            token(&format!("<|{language}|>"))?,
            token(m::TRANSCRIBE_TOKEN)?,
            token(m::NO_TIMESTAMPS_TOKEN)?,
        ];
        let end = token(m::EOT_TOKEN)?;
        let mut suppressed = vec![false; config.vocab_size];
        suppressed
            .iter_mut()
            .skip(prompt[3] as usize)
            .for_each(|s| *s = true);
        let specials = m::NO_SPEECH_TOKENS
            .iter()
            .chain([&m::TRANSLATE_TOKEN])
            .filter_map(|t| tokenizer.token_to_id(t));
        for id in config
            .suppress_tokens
            .iter()
            .copied()
            .chain(prompt)
            .chain(specials)
        {
            if let Some(s) = suppressed.get_mut(id as usize) {
                *s = true;
            }
        }
        Ok(Self {
            inner: Arc::new(Inner {
                filters: mel::filters(config.num_mel_bins),
                model: Mutex::new(model),
                tokenizer,
                prompt,
                end,
                suppressed,
                device,
            }),
        })
    }
}

impl Transcriber for LocalWhisper {
    fn transcribe<'a>(
        &'a self,
        audio: &'a Pcm,
    ) -> BoxFuture<'a, Result<String, TranscriptionError>> {
        let inner = self.inner.clone();
        let samples = audio.to_f32();
        Box::pin(async move {
            // Seconds of CPU work: off the async threads.
            tokio::task::spawn_blocking(move || inner.run(&samples))
                .await
                .map_err(|e| TranscriptionError::Model(format!("transcription task: {e}")))?
        })
    }
}

impl Inner {
    /// Transcribes `samples` 30 s at a time.
    fn run(&self, samples: &[f32]) -> Result<String, TranscriptionError> {
        let mut model = self
            .model
            .lock()
            .map_err(|_| TranscriptionError::Model("a previous transcription panicked".into()))?;
        let n_mels = model.config.num_mel_bins;
        let mel = m::audio::pcm_to_mel(&model.config, samples, &self.filters);
        let frames = mel.len() / n_mels;
        let mel = Tensor::from_vec(mel, (1, n_mels, frames), &self.device).map_err(candle)?;
        // Frames holding audio; the mel spectrogram is padded with silence after them.
        let content = samples.len() / m::HOP_LENGTH;
        let mut text = Vec::new();
        let mut seek = 0;
        while seek < content.max(1) {
            let len = m::N_FRAMES.min(frames - seek);
            let segment = mel.narrow(2, seek, len).map_err(candle)?;
            text.push(self.decode(&mut model, &segment)?);
            seek += len;
        }
        Ok(text.join(" ").trim().to_owned())
    }

    /// Greedy decoding of one segment's mel spectrogram.
    fn decode(&self, model: &mut Whisper, mel: &Tensor) -> Result<String, TranscriptionError> {
        let features = model.encoder.forward(mel, true).map_err(candle)?;
        let mut tokens = self.prompt.to_vec();
        let most = model.config.max_target_positions / 2;
        for i in 0..most {
            let input = Tensor::new(tokens.as_slice(), &self.device)
                .and_then(|t| t.unsqueeze(0))
                .map_err(candle)?;
            let hidden = model
                .decoder
                .forward(&input, &features, i == 0)
                .map_err(candle)?;
            let last = hidden
                .i((..1, tokens.len() - 1..))
                .and_then(|h| model.decoder.final_linear(&h))
                .and_then(|l| l.i(0))
                .and_then(|l| l.i(0))
                .and_then(|l| l.to_vec1::<f32>())
                .map_err(candle)?;
            let next = self.best(&last);
            if next == self.end {
                break;
            }
            tokens.push(next);
        }
        self.tokenizer
            .decode(&tokens[self.prompt.len()..], true)
            .map_err(|e| TranscriptionError::Model(format!("detokenising: {e}")))
    }

    /// The most likely token that is not suppressed.
    fn best(&self, logits: &[f32]) -> u32 {
        let mut best = (self.end, f32::NEG_INFINITY);
        for (id, &logit) in logits.iter().enumerate() {
            if logit > best.1 && !self.suppressed.get(id).copied().unwrap_or(false) {
                best = (id as u32, logit);
            }
        }
        best.0
    }
}

fn model_error(dir: &Path, message: String) -> TranscriptionError {
    TranscriptionError::Model(format!("{}: {message}", dir.display()))
}

fn candle(error: candle_core::Error) -> TranscriptionError {
    TranscriptionError::Model(error.to_string())
}
