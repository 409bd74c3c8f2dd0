//! A tiny randomly initialised BERT written on demand, so tests (here and in other crates)
//! can exercise the encoder without shipping or downloading model files. Its embeddings
//! carry no meaning.

use crate::{Error, Result};
use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use candle_transformers::models::bert::{BertModel, Config};
use std::path::Path;
use tokenizers::Tokenizer;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::bert::BertProcessing;

/// Hidden size of the tiny model.
pub const TINY_DIM: usize = 32;

/// Longest input the tiny model accepts, in word pieces.
pub const TINY_MAX_POSITIONS: usize = 128;

/// Whole words of the tiny vocabulary; any other lowercase ASCII word is spelt with
/// single-letter pieces.
const WORDS: &str = "oi ola bom dia boa tarde noite quero marcar consulta cancelar remarcar \
    amanha hoje horario obrigado sim nao com o a de para doutor exame hello book an appointment";

/// Writes `config.json`, `model.safetensors` and `tokenizer.json` of a random
/// 2-layer BERT (hidden size [`TINY_DIM`]) into `dir`, which must exist.
pub fn write_tiny_model(dir: &Path) -> Result<()> {
    let vocab = vocabulary();
    let config = serde_json::json!({
        "vocab_size": vocab.len(),
        "hidden_size": TINY_DIM,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "max_position_embeddings": TINY_MAX_POSITIONS,
        "type_vocab_size": 2,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "model_type": "bert",
    });
    let path = dir.join("config.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&config)?).map_err(|e| Error::io(&path, e))?;

    // Loading the model from a VarMap creates every tensor under the names BertModel
    // reads, randomly initialised; saving the map writes them out.
    let config: Config = serde_json::from_value(config)?;
    let varmap = VarMap::new();
    BertModel::load(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        &config,
    )?;
    varmap.save(dir.join("model.safetensors"))?;

    write_tokenizer(dir, &vocab)
}

/// Special tokens first (`[PAD]` = 0, as `pad_token_id` says), then words, letters and
/// `##` continuation letters.
fn vocabulary() -> Vec<String> {
    let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", ".", ",", "?", "!"];
    let letters = ('a'..='z').map(String::from);
    let continuations = ('a'..='z').map(|c| format!("##{c}"));
    specials
        .iter()
        .copied()
        .chain(WORDS.split_whitespace())
        .map(String::from)
        .chain(letters.filter(|l| !WORDS.split_whitespace().any(|w| w == l)))
        .chain(continuations)
        .collect()
}

fn write_tokenizer(dir: &Path, vocab: &[String]) -> Result<()> {
    let failed = |e| Error::Config(format!("building the tiny tokenizer: {e}"));
    // WordPiece's builder takes a vocab.txt (one piece a line, id = line number), as
    // BERT checkpoints ship it.
    let vocab_path = dir.join("vocab.txt");
    std::fs::write(&vocab_path, vocab.join("\n")).map_err(|e| Error::io(&vocab_path, e))?;
    let vocab_path = vocab_path
        .to_str()
        .ok_or_else(|| Error::Config(format!("{}: not UTF-8", vocab_path.display())))?;
    let model = WordPiece::from_file(vocab_path)
        .unk_token("[UNK]".into())
        .build()
        .map_err(failed)?;
    let mut tokenizer = Tokenizer::new(model);
    // Lowercase and strip accents, as uncased BERT does ("Amanhã" -> "amanha").
    tokenizer
        .with_normalizer(Some(BertNormalizer::new(true, true, Some(true), true)))
        .map_err(failed)?;
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    tokenizer.with_post_processor(Some(BertProcessing::new(
        ("[SEP]".into(), 3),
        ("[CLS]".into(), 2),
    )));
    let path = dir.join("tokenizer.json");
    tokenizer.save(&path, false).map_err(failed)
}
