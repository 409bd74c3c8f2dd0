//! The optional pretrained sentence encoder: a BERT-family model read from a local
//! directory, whose mean-pooled embedding becomes dense features beside the sparse ones.
//!
//! Nothing is downloaded: the directory must hold `config.json`, the weights
//! (`model.safetensors`, or every `*.safetensors` file of a sharded model) and a
//! Hugging Face `tokenizer.json`.

mod files;
pub mod tiny;

#[cfg(test)]
mod tests;

use super::{Component, Message};
use crate::{Error, Result};
use candle_core::{DType, Device, Tensor};
use candle_transformers::models::bert::BertModel;
use std::path::Path;
use tokenizers::Tokenizer;

/// Texts encoded per forward pass by [`SentenceEncoder::encode_batch`]: big enough for the
/// matrix products to pay off, small enough that padding to the longest stays cheap.
const BATCH: usize = 32;

/// Characters of input kept per word piece of `max_length`. Bounds the tokenizer's work on
/// huge messages; pieces average far fewer characters, so truncation is unchanged in
/// practice.
const CHARS_PER_PIECE: usize = 16;

/// A BERT-family sentence encoder on the CPU. Immutable after [`load`](Self::load), so one
/// instance serves many threads.
pub struct SentenceEncoder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    max_length: usize,
    pad_id: u32,
}

/// One text's word pieces, special tokens included.
struct Pieces {
    ids: Vec<u32>,
    type_ids: Vec<u32>,
}

impl SentenceEncoder {
    /// Loads the model in `dir`. Inputs longer than `max_length` word pieces (capped at the
    /// model's `max_position_embeddings`) are truncated.
    ///
    /// Fails with [`Error::Io`] naming the file when one is missing or unreadable, and with
    /// [`Error::Config`] when a file is malformed, the files do not fit together or
    /// `max_length` is too small for the tokenizer's special tokens.
    pub fn load(dir: &Path, max_length: usize) -> Result<Self> {
        if max_length == 0 {
            return Err(Error::Config(
                "encoder max_length must be at least 1".into(),
            ));
        }
        let config = files::read_config(dir)?;
        let max_length = max_length.min(config.max_position_embeddings);
        let tokenizer = files::read_tokenizer(dir, max_length)?;
        let vocab = tokenizer.get_vocab_size(true);
        // An id past the embedding table would fail at encode time: refuse it now.
        if vocab > config.vocab_size {
            return Err(Error::Config(format!(
                "{}: tokenizer.json has {vocab} tokens but config.json's vocab_size is {}",
                dir.display(),
                config.vocab_size
            )));
        }
        let pad_id = u32::try_from(config.pad_token_id)
            .ok()
            .filter(|&id| (id as usize) < config.vocab_size)
            .ok_or_else(|| {
                Error::Config(format!(
                    "{}: config.json's pad_token_id is outside the vocabulary",
                    dir.display()
                ))
            })?;
        let device = Device::Cpu;
        let vb = files::read_weights(dir, &device)?;
        let model = BertModel::load(vb, &config).map_err(|e| {
            Error::Config(format!(
                "{}: the weights do not match config.json: {e}",
                dir.display()
            ))
        })?;
        let encoder = Self {
            model,
            tokenizer,
            device,
            dim: config.hidden_size,
            max_length,
            pad_id,
        };
        // A full-length probe exercises truncation and the forward pass once, so that
        // later encodes cannot fail on any text (see `process`).
        let probe = "a ".repeat(max_length * 2);
        encoder.encode(&probe).map_err(|e| {
            Error::Config(format!(
                "{}: the encoder cannot run with max_length {max_length}: {e}",
                dir.display()
            ))
        })?;
        Ok(encoder)
    }

    /// The length of the embeddings (the model's hidden size).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The mean of the token states (padding masked out), scaled to unit length. A text
    /// with no word pieces at all (possible only with a tokenizer that adds no special
    /// tokens) gives the zero vector.
    pub fn encode(&self, text: &str) -> Result<Vec<f32>> {
        let pieces = self.tokenize(text)?;
        let mut rows = self.forward(&[&pieces])?;
        Ok(rows.pop().unwrap_or_else(|| vec![0.0; self.dim]))
    }

    /// [`encode`](Self::encode) for many texts, in order, batched for speed (training).
    pub fn encode_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let pieces = texts
            .iter()
            .map(|text| self.tokenize(text))
            .collect::<Result<Vec<_>>>()?;
        // Batch texts of similar length together so little is padded.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| pieces[i].ids.len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&Pieces> = chunk.iter().map(|&i| &pieces[i]).collect();
            for (&i, row) in chunk.iter().zip(self.forward(&batch)?) {
                out[i] = row;
            }
        }
        Ok(out)
    }

    fn tokenize(&self, text: &str) -> Result<Pieces> {
        let text = head(text, self.max_length * CHARS_PER_PIECE);
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| Error::InvalidInput(format!("the encoder's tokenizer failed: {e}")))?;
        Ok(Pieces {
            ids: encoding.get_ids().to_vec(),
            type_ids: encoding.get_type_ids().to_vec(),
        })
    }

    /// Runs the model on a batch padded to its longest member; one pooled row per text.
    fn forward(&self, batch: &[&Pieces]) -> Result<Vec<Vec<f32>>> {
        let len = batch.iter().map(|p| p.ids.len()).max().unwrap_or(0);
        if len == 0 {
            return Ok(vec![vec![0.0; self.dim]; batch.len()]);
        }
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut type_ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for p in batch {
            let pad = len - p.ids.len();
            ids.extend(
                p.ids
                    .iter()
                    .copied()
                    .chain(std::iter::repeat_n(self.pad_id, pad)),
            );
            type_ids.extend(
                p.type_ids
                    .iter()
                    .copied()
                    .chain(std::iter::repeat_n(0, pad)),
            );
            mask.extend(std::iter::repeat_n(1u32, p.ids.len()).chain(std::iter::repeat_n(0, pad)));
        }
        let shape = (batch.len(), len);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let type_ids = Tensor::from_vec(type_ids, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?; // (batch, len, dim)
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // (batch, len, 1)
        let sums = hidden.broadcast_mul(&mask)?.sum(1)?; // (batch, dim)
        // An all-padding row (an empty text in a batch) has count 0: divide by 1 instead.
        let counts = mask.sum(1)?.clamp(1f32, f32::MAX)?; // (batch, 1)
        let means: Vec<Vec<f32>> = sums.broadcast_div(&counts)?.to_vec2()?;
        Ok(means.into_iter().map(normalise).collect())
    }
}

impl Component for SentenceEncoder {
    fn name(&self) -> &'static str {
        "BelaEncoder"
    }

    /// Sets `message.dense`. After a successful `load` encoding cannot fail: the probe
    /// proved truncation and the forward pass work, token ids were checked against the
    /// embedding table, and inputs are cut to a bounded size. Should it fail anyway,
    /// `dense` stays `None`, which downstream stages treat as "no dense features".
    fn process(&self, message: &mut Message) {
        message.dense = self.encode(&message.text).ok();
    }
}

/// The first `max_chars` characters of `text`.
fn head(text: &str, max_chars: usize) -> &str {
    text.char_indices()
        .nth(max_chars)
        .map_or(text, |(end, _)| &text[..end])
}

/// Scales `v` to unit length; the zero vector stays zero.
fn normalise(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > f32::EPSILON {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}
