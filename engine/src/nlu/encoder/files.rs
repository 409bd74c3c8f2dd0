//! Reading an encoder directory: each file's problems are reported with its path.

use crate::{Error, Result};
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tokenizers::{PostProcessor, Tokenizer, TruncationParams};

/// The model's `config.json`.
pub(super) fn read_config(dir: &Path) -> Result<Config> {
    let path = dir.join("config.json");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Config(format!("{}: not a BERT config: {e}", path.display())))
}

/// `tokenizer.json`, with padding off (a shipped file may pad every input to a fixed
/// length, wasting the forward pass) and truncation at `max_length`.
pub(super) fn read_tokenizer(dir: &Path, max_length: usize) -> Result<Tokenizer> {
    let path = dir.join("tokenizer.json");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let malformed = |e| Error::Config(format!("{}: not a usable tokenizer: {e}", path.display()));
    let mut tokenizer = Tokenizer::from_bytes(&bytes).map_err(malformed)?;
    tokenizer.with_padding(None);
    // The tokenizer subtracts its special tokens from max_length unchecked (an underflow
    // panic): require room for at least one real piece.
    let specials = tokenizer
        .get_post_processor()
        .map_or(0, |p| p.added_tokens(false));
    if max_length <= specials {
        return Err(Error::Config(format!(
            "encoder max_length {max_length} leaves no room beside the tokenizer's {specials} special tokens"
        )));
    }
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length,
            ..TruncationParams::default()
        }))
        .map_err(malformed)?;
    Ok(tokenizer)
}

/// The weights: `model.safetensors`, else every `*.safetensors` file (a sharded model),
/// read into memory (no mmap, so no `unsafe`) and converted to f32.
pub(super) fn read_weights(dir: &Path, device: &Device) -> Result<VarBuilder<'static>> {
    let mut tensors = HashMap::new();
    for path in weight_files(dir)? {
        let part = candle_core::safetensors::load(&path, device).map_err(|e| {
            Error::Config(format!("{}: not a safetensors file: {e}", path.display()))
        })?;
        tensors.extend(part);
    }
    Ok(VarBuilder::from_tensors(tensors, DType::F32, device))
}

fn weight_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let main = dir.join("model.safetensors");
    if main.is_file() {
        return Ok(vec![main]);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|ext| ext == "safetensors") {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(Error::Config(format!(
            "{}: no model.safetensors (or other *.safetensors weights) in the encoder directory",
            dir.display()
        )));
    }
    files.sort();
    Ok(files)
}
