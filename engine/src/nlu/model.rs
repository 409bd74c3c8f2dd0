//! A trained NLU model: its components, its metadata and its directory on disk
//! (`metadata.json` + `weights.safetensors`).

use super::artifact::{ArtifactReader, ArtifactWriter};
use super::builtin::{DucklingExtractor, ReferenceTime};
use super::crf::CrfEntityExtractor;
use super::dense::EncoderStage;
use super::extractors::{EntityDeduplicator, EntitySynonymMapper, RegexEntityExtractor};
use super::fallback::FallbackClassifier;
use super::features::PatternMatcher;
use super::intent::IntentClassifier;
use super::{Component, Message};
use crate::config::PipelineConfig;
use crate::data::{LookupTable, RegexPattern};
use crate::names::{EntityName, IntentName};
use crate::text::{SlangTable, Tokenizer};
use crate::{Error, Result, model_dir};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The on-disk format version this build writes and reads. Bump it whenever a component's
/// saved form changes incompatibly.
pub const MODEL_FORMAT_VERSION: u32 = 1;
/// File name of the metadata inside a model directory.
pub const METADATA_FILE: &str = "metadata.json";

/// What `metadata.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelMetadata {
    /// See [`MODEL_FORMAT_VERSION`].
    pub format_version: u32,
    /// The Bela version that trained it.
    pub bela_version: String,
    /// Fingerprint of the data and configuration it was trained from.
    pub fingerprint: String,
    /// When it was trained (RFC 3339, UTC).
    pub trained_at: String,
    /// The configuration it was trained with.
    pub config: PipelineConfig,
    /// Intents it predicts.
    pub intents: Vec<IntentName>,
    /// Entity types its extractors know.
    pub entities: Vec<EntityName>,
    /// The slang table used by its tokenizer.
    pub slang: Vec<(String, String)>,
    /// Regexes (features and entities).
    pub regexes: Vec<RegexPattern>,
    /// Lookup tables (features and entities).
    pub lookups: Vec<LookupTable>,
    /// Figures about the training run.
    pub training: TrainingSummary,
    /// Each component's saved settings and vocabularies.
    pub sections: BTreeMap<String, serde_json::Value>,
}

/// Figures about a training run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Training examples.
    pub examples: usize,
    /// Examples with at least one entity annotation.
    pub examples_with_entities: usize,
    /// Wall-clock training time in seconds.
    pub seconds: f64,
}

/// Reads only the version, so that a model of another format gets a clear error instead of
/// a confusing parse failure.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

/// The trained parts of an NLU model, in pipeline order.
pub struct NluParts {
    /// Optional pretrained sentence encoder (dense features).
    pub encoder: Option<EncoderStage>,
    /// Intent classifier.
    pub intent: IntentClassifier,
    /// Trained entity tagger (absent when the data has no entity annotations).
    pub crf: Option<CrfEntityExtractor>,
    /// Regex and lookup-table entities.
    pub regex: RegexEntityExtractor,
    /// Synonym mapping.
    pub synonyms: EntitySynonymMapper,
}

impl NluParts {
    fn write(&self) -> Result<ArtifactWriter> {
        let mut writer = ArtifactWriter::new();
        self.intent.save(&mut writer)?;
        if let Some(crf) = &self.crf {
            crf.save(&mut writer)?;
        }
        self.regex.save(&mut writer)?;
        self.synonyms.save(&mut writer)?;
        Ok(writer)
    }

    fn read(reader: &ArtifactReader, config: &PipelineConfig) -> Result<Self> {
        let encoder = config
            .encoder
            .as_ref()
            .map(EncoderStage::load)
            .transpose()?;
        let crf = if reader.has_section("crf") {
            Some(CrfEntityExtractor::load(reader)?)
        } else {
            None
        };
        Ok(Self {
            encoder,
            intent: IntentClassifier::load(reader)?,
            crf,
            regex: RegexEntityExtractor::load(reader)?,
            synonyms: EntitySynonymMapper::load(reader)?,
        })
    }
}

/// A loaded (or freshly trained) model, ready to parse. Immutable and `Send + Sync`.
pub struct NluModel {
    metadata: ModelMetadata,
    tokenizer: Tokenizer,
    matcher: PatternMatcher,
    parts: NluParts,
    builtin: Option<DucklingExtractor>,
    dedup: EntityDeduplicator,
    fallback: FallbackClassifier,
}

impl NluModel {
    /// Assembles a model from trained parts and metadata.
    pub fn new(metadata: ModelMetadata, parts: NluParts) -> Result<Self> {
        let tokenizer = Tokenizer::new(SlangTable::from_entries(metadata.slang.clone()));
        let matcher = PatternMatcher::new(&metadata.regexes, &metadata.lookups)?;
        let fallback = FallbackClassifier::new(metadata.config.fallback.clone());
        let config = &metadata.config;
        let builtin = config
            .builtin
            .is_enabled(&config.language)
            .then(|| DucklingExtractor::new(&config.builtin))
            .transpose()?;
        Ok(Self {
            metadata,
            tokenizer,
            matcher,
            parts,
            builtin,
            dedup: EntityDeduplicator,
            fallback,
        })
    }

    /// The model's metadata.
    pub fn metadata(&self) -> &ModelMetadata {
        &self.metadata
    }

    /// The built-in extractor, when the configuration runs it.
    pub fn builtin(&self) -> Option<&DucklingExtractor> {
        self.builtin.as_ref()
    }

    /// Runs the whole pipeline on `text`; relative times are read from now in the
    /// configured time zone.
    pub fn parse(&self, text: &str) -> Message {
        self.parse_at(text, None)
    }

    /// Runs the whole pipeline on `text` written at `reference` (the patient's now and
    /// zone); `None` is now in the configured zone.
    pub fn parse_at(&self, text: &str, reference: Option<ReferenceTime>) -> Message {
        let mut message = self.prepare(text);
        message.reference = reference;
        for stage in self.stages() {
            stage.process(&mut message);
        }
        message
    }

    /// Tokens and pattern hits only: what the trainers see before the encoder.
    pub fn prepare(&self, text: &str) -> Message {
        prepare(&self.tokenizer, &self.matcher, text)
    }

    fn stages(&self) -> impl Iterator<Item = &dyn Component> {
        let p = &self.parts;
        [
            p.encoder.as_ref().map(|e| e as &dyn Component),
            Some(&p.intent as &dyn Component),
            p.crf.as_ref().map(|c| c as &dyn Component),
            Some(&p.regex as &dyn Component),
            self.builtin.as_ref().map(|b| b as &dyn Component),
            Some(&self.dedup as &dyn Component),
            Some(&p.synonyms as &dyn Component),
            Some(&self.fallback as &dyn Component),
        ]
        .into_iter()
        .flatten()
    }

    /// Writes the model into a new directory under `models_dir` and returns its path. The
    /// directory appears whole or not at all (written aside, then renamed).
    pub fn save(&self, models_dir: &Path) -> Result<PathBuf> {
        let name =
            model_dir::dir_name("nlu", &self.metadata.trained_at, &self.metadata.fingerprint);
        model_dir::write_atomically(models_dir, &name, |dir| {
            let writer = self.parts.write()?;
            let mut metadata = self.metadata.clone();
            metadata.sections = writer.write_weights(dir)?;
            let json = serde_json::to_vec_pretty(&metadata)?;
            let meta_path = dir.join(METADATA_FILE);
            std::fs::write(&meta_path, json).map_err(|e| Error::io(&meta_path, e))
        })
    }

    /// Loads the model in `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let metadata = read_metadata(dir)?;
        let reader = ArtifactReader::open(dir, metadata.sections.clone())?;
        let parts = NluParts::read(&reader, &metadata.config)?;
        Self::new(metadata, parts)
    }

    /// Round-trips the model through the artifact format in memory (for tests).
    pub fn reload_in_memory(&self) -> Result<Self> {
        let reader = ArtifactReader::from_writer(&self.parts.write()?);
        Self::new(
            self.metadata.clone(),
            NluParts::read(&reader, &self.metadata.config)?,
        )
    }
}

/// Tokenizes `text` and finds its pattern hits.
pub(crate) fn prepare(tokenizer: &Tokenizer, matcher: &PatternMatcher, text: &str) -> Message {
    let mut message = Message::new(text);
    message.tokens = tokenizer.tokenize(text);
    message.patterns = matcher.find(text);
    message
}

/// Reads and checks `metadata.json` in `dir`.
pub fn read_metadata(dir: &Path) -> Result<ModelMetadata> {
    let path = dir.join(METADATA_FILE);
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::ModelNotFound(dir.to_path_buf()),
        _ => Error::io(&path, e),
    })?;
    let corrupt = |e: serde_json::Error| Error::ModelCorrupt {
        path: dir.to_path_buf(),
        message: format!("{METADATA_FILE}: {e}"),
    };
    let probe: VersionProbe = serde_json::from_slice(&bytes).map_err(corrupt)?;
    if probe.format_version != MODEL_FORMAT_VERSION {
        return Err(Error::ModelVersion {
            path: dir.to_path_buf(),
            found: probe.format_version,
            expected: MODEL_FORMAT_VERSION,
        });
    }
    serde_json::from_slice(&bytes).map_err(corrupt)
}

/// `nlu-YYYYMMDD-HHMMSSffffff-<fingerprint prefix>`: sorts by training time.
/// The newest model directory under `models_dir`, if any.
pub fn latest_model(models_dir: &Path) -> Result<Option<PathBuf>> {
    model_dir::latest(models_dir, "nlu", METADATA_FILE)
}
