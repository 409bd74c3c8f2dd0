use super::tiny::{TINY_DIM, TINY_MAX_POSITIONS, write_tiny_model};
use super::*;
use std::sync::OnceLock;

/// One tiny model for all tests: writing and loading it is the slow part.
fn tiny() -> &'static (tempfile::TempDir, SentenceEncoder) {
    static TINY: OnceLock<(tempfile::TempDir, SentenceEncoder)> = OnceLock::new();
    TINY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        write_tiny_model(dir.path()).expect("write tiny model");
        let encoder = SentenceEncoder::load(dir.path(), 16).expect("load tiny model");
        (dir, encoder)
    })
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

#[test]
fn encoder_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<SentenceEncoder>();
}

#[test]
fn encoder_gives_unit_vectors_of_the_hidden_size() {
    let (_, encoder) = tiny();
    assert_eq!(encoder.dim(), TINY_DIM);
    let v = encoder
        .encode("Quero marcar uma consulta amanhã")
        .expect("encode");
    assert_eq!(v.len(), TINY_DIM);
    assert!((norm(&v) - 1.0).abs() < 1e-5, "norm {}", norm(&v));
    assert!(v.iter().all(|x| x.is_finite()));
}

#[test]
fn encoder_is_deterministic_and_tells_texts_apart() {
    let (_, encoder) = tiny();
    let a = encoder.encode("oi, bom dia").expect("encode");
    let b = encoder.encode("oi, bom dia").expect("encode");
    let c = encoder.encode("cancelar o exame").expect("encode");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn encoder_normalises_case_and_accents_like_bert() {
    let (_, encoder) = tiny();
    let a = encoder.encode("Amanhã").expect("encode");
    let b = encoder.encode("amanha").expect("encode");
    assert_eq!(a, b);
}

#[test]
fn encoder_truncates_long_input() {
    let (_, encoder) = tiny();
    // Far past both max_length (16) and the model's positions (128).
    let long = "quero marcar consulta ".repeat(200);
    let v = encoder
        .encode(&long)
        .expect("long input is truncated, not rejected");
    assert!((norm(&v) - 1.0).abs() < 1e-5);
    // Only the first 16 pieces count: a text differing after them encodes the same.
    let prefix = "quero marcar consulta ".repeat(10);
    let other = encoder
        .encode(&format!("{prefix} cancelar exame"))
        .expect("encode");
    assert_eq!(v, other);
}

#[test]
fn encoder_handles_empty_and_odd_text() {
    let (_, encoder) = tiny();
    for text in ["", "   ", "🙂🙂", "xyzzy!!! ???", "\u{0}\u{7}"] {
        let v = encoder.encode(text).expect("encode");
        assert_eq!(v.len(), TINY_DIM, "{text:?}");
        assert!((norm(&v) - 1.0).abs() < 1e-5, "{text:?}");
    }
}

#[test]
fn encoder_batch_matches_single_encodes() {
    let (_, encoder) = tiny();
    let texts = [
        "oi",
        "quero marcar uma consulta para amanhã de tarde",
        "",
        "sim",
    ];
    let batch = encoder.encode_batch(&texts).expect("batch");
    assert_eq!(batch.len(), texts.len());
    for (text, row) in texts.iter().zip(&batch) {
        let single = encoder.encode(text).expect("encode");
        let diff = single
            .iter()
            .zip(row)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(diff < 1e-5, "{text:?}: batch differs by {diff}");
    }
    assert!(encoder.encode_batch(&[]).expect("empty batch").is_empty());
}

#[test]
fn encoder_component_sets_dense() {
    let (_, encoder) = tiny();
    let mut message = Message::new("bom dia, doutor");
    encoder.process(&mut message);
    assert_eq!(encoder.name(), "BelaEncoder");
    assert_eq!(message.dense.map(|d| d.len()), Some(TINY_DIM));
}

#[test]
fn encoder_caps_max_length_at_the_model_positions() {
    let (dir, _) = tiny();
    let encoder = SentenceEncoder::load(dir.path(), 10_000).expect("load");
    let v = encoder.encode(&"a ".repeat(1000)).expect("encode");
    assert_eq!(v.len(), TINY_DIM);
    assert_eq!(encoder.max_length, TINY_MAX_POSITIONS);
}

/// A copy of the tiny model's directory without `skip`.
fn copy_without(skip: &str) -> tempfile::TempDir {
    let (src, _) = tiny();
    let dst = tempfile::tempdir().expect("tempdir");
    for name in ["config.json", "model.safetensors", "tokenizer.json"] {
        if name != skip {
            std::fs::copy(src.path().join(name), dst.path().join(name)).expect("copy");
        }
    }
    dst
}

#[test]
fn encoder_missing_tokenizer_is_a_clear_error() {
    let dir = copy_without("tokenizer.json");
    let err = SentenceEncoder::load(dir.path(), 16)
        .err()
        .expect("must fail");
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");
    assert!(err.is_user_error());
}

#[test]
fn encoder_missing_config_or_weights_are_clear_errors() {
    let dir = copy_without("config.json");
    let err = SentenceEncoder::load(dir.path(), 16)
        .err()
        .expect("must fail");
    assert!(err.to_string().contains("config.json"), "{err}");

    let dir = copy_without("model.safetensors");
    let err = SentenceEncoder::load(dir.path(), 16)
        .err()
        .expect("must fail");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("safetensors"), "{err}");
}

#[test]
fn encoder_finds_weights_under_another_name() {
    let dir = copy_without("model.safetensors");
    let (src, _) = tiny();
    std::fs::copy(
        src.path().join("model.safetensors"),
        dir.path().join("pytorch_free.safetensors"),
    )
    .expect("copy");
    let encoder = SentenceEncoder::load(dir.path(), 16).expect("load");
    let expected = tiny().1.encode("oi").expect("encode");
    assert_eq!(encoder.encode("oi").expect("encode"), expected);
}

#[test]
fn encoder_malformed_files_are_config_errors() {
    for (name, junk) in [
        ("config.json", "{\"hidden_size\": 32}"),
        ("tokenizer.json", "not json"),
        ("model.safetensors", "garbage"),
    ] {
        let dir = copy_without(name);
        std::fs::write(dir.path().join(name), junk).expect("write");
        let err = SentenceEncoder::load(dir.path(), 16)
            .err()
            .expect("must fail");
        assert!(matches!(err, Error::Config(_)), "{name}: {err:?}");
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
}

#[test]
fn encoder_rejects_a_max_length_too_small_for_special_tokens() {
    let (dir, _) = tiny();
    for max_length in [0, 1] {
        let err = SentenceEncoder::load(dir.path(), max_length)
            .err()
            .expect("must fail");
        assert!(matches!(err, Error::Config(_)), "{max_length}: {err:?}");
    }
}
