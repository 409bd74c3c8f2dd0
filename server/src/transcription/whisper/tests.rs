//! Local Whisper without a real checkpoint: clear errors on bad model directories, and a
//! tiny randomly initialised model (written by the test) through the decode loop.

use super::LocalWhisper;
use crate::audio::Pcm;
use crate::audio::test_support::tone;
use crate::transcription::{Transcriber, TranscriptionError};
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use candle_transformers::models::whisper::{Config, model::Whisper};
use serde_json::json;
use std::path::Path;

/// Words first, then Whisper's special tokens in Whisper's order (timestamps would follow
/// `<|notimestamps|>`).
const VOCAB: [&str; 10] = [
    "<unk>",
    "quero",
    "agendar",
    "botox",
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|pt|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|notimestamps|>",
];

fn tiny_config() -> Config {
    Config {
        num_mel_bins: 80,
        // 3000 mel frames of a 30 s window, halved by the second convolution.
        max_source_positions: 1500,
        d_model: 8,
        encoder_attention_heads: 2,
        encoder_layers: 1,
        vocab_size: VOCAB.len(),
        max_target_positions: 16,
        decoder_attention_heads: 2,
        decoder_layers: 1,
        suppress_tokens: vec![0],
    }
}

/// Writes a random Whisper of `tiny_config()` with a word-level tokenizer into `dir`.
fn write_tiny_model(dir: &Path) {
    let config = tiny_config();
    let config_json = json!({
        "num_mel_bins": config.num_mel_bins,
        "max_source_positions": config.max_source_positions,
        "d_model": config.d_model,
        "encoder_attention_heads": config.encoder_attention_heads,
        "encoder_layers": config.encoder_layers,
        "vocab_size": config.vocab_size,
        "max_target_positions": config.max_target_positions,
        "decoder_attention_heads": config.decoder_attention_heads,
        "decoder_layers": config.decoder_layers,
        "suppress_tokens": config.suppress_tokens,
    });
    std::fs::write(dir.join("config.json"), config_json.to_string()).expect("config");
    let vocab: serde_json::Map<String, serde_json::Value> = VOCAB
        .iter()
        .enumerate()
        .map(|(id, t)| ((*t).to_owned(), json!(id)))
        .collect();
    let added: Vec<_> = VOCAB
        .iter()
        .enumerate()
        .filter(|(_, t)| t.starts_with("<|"))
        .map(|(id, t)| {
            json!({"id": id, "content": t, "single_word": false, "lstrip": false,
                   "rstrip": false, "normalized": false, "special": true})
        })
        .collect();
    let tokenizer = json!({
        "version": "1.0", "truncation": null, "padding": null, "added_tokens": added,
        "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": null, "decoder": null,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"}
    });
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).expect("tokenizer");

    let device = Device::Cpu;
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
    Whisper::load(&vb, config).expect("creates the variables");
    for var in varmap.all_vars() {
        let random = Tensor::randn(0f32, 0.5, var.shape(), &device).expect("randn");
        var.set(&random).expect("set");
    }
    varmap.save(dir.join("model.safetensors")).expect("weights");
}

fn load_error(dir: &Path) -> String {
    match LocalWhisper::load(dir, "pt") {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(TranscriptionError::Model(message)) => message,
        Err(other) => panic!("not a model error: {other}"),
    }
}

#[test]
fn a_missing_or_broken_model_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let message = load_error(&dir.path().join("nowhere"));
    assert!(message.contains("config.json is missing"), "{message}");

    write_tiny_model(dir.path());
    std::fs::write(dir.path().join("model.safetensors"), b"not safetensors").expect("write");
    let message = load_error(dir.path());
    assert!(message.contains("model.safetensors"), "{message}");

    std::fs::write(dir.path().join("config.json"), b"{\"d_model\": 8}").expect("write");
    let message = load_error(dir.path());
    assert!(message.contains("config.json"), "{message}");
}

#[test]
fn a_language_the_tokenizer_lacks_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tiny_model(dir.path());
    let Err(error) = LocalWhisper::load(dir.path(), "xx") else {
        panic!("loaded");
    };
    assert!(error.to_string().contains("<|xx|>"), "{error}");
}

#[tokio::test]
async fn a_tiny_random_model_runs_the_decode_loop() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tiny_model(dir.path());
    let whisper = LocalWhisper::load(dir.path(), "pt").expect("loads");
    let audio = Pcm {
        samples: tone(1.0, 440.0),
    };
    let text = whisper.transcribe(&audio).await.expect("transcribes");
    // Random weights say random words, but only the vocabulary's, and never a special.
    assert!(
        text.split_whitespace()
            .all(|w| ["quero", "agendar", "botox"].contains(&w)),
        "{text:?}"
    );
}
