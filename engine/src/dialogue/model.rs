//! The trained dialogue model: the domain and the policies learned from stories and
//! rules, saved as `models/core-<date>-<time>-<fingerprint>/` with `dialogue.json` and a
//! copy of the domain files it was trained with.

use crate::dialogue::domain::Domain;
use crate::dialogue::policy::memo::DEFAULT_MAX_HISTORY;
use crate::dialogue::policy::{PolicyEnsemble, Prediction, Trace};
use crate::dialogue::stories::{DialogueData, Limits, StoryGraph, linear_rules};
use crate::dialogue::traces::trace;
use crate::dialogue::tracker::Tracker;
use crate::names::{ActionName, SenderId, SlotName};
use crate::{Error, Result, model_dir};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The version of the dialogue model's files; another version is refused at load.
pub const DIALOGUE_FORMAT_VERSION: u32 = 1;
/// The file that marks a dialogue model directory.
pub const DIALOGUE_FILE: &str = "dialogue.json";
/// The sub-directory holding the domain files.
const DOMAIN_DIR: &str = "domain";
/// The sub-directory holding the training data files whose `responses` the domain merged.
const RESPONSES_DIR: &str = "responses";

/// How the policies are trained (`policies:` in `config.yml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicySettings {
    /// States memoization looks back over (`MemoizationPolicy.max_history`).
    pub max_history: usize,
}

impl Default for PolicySettings {
    fn default() -> Self {
        Self {
            max_history: DEFAULT_MAX_HISTORY,
        }
    }
}

/// What `dialogue.json` records besides the policies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialogueMetadata {
    /// See [`DIALOGUE_FORMAT_VERSION`].
    pub format_version: u32,
    /// The Bela version that trained it.
    pub bela_version: String,
    /// The fingerprint of the domain, stories, rules and settings.
    pub fingerprint: String,
    /// When it was trained (RFC 3339, UTC).
    pub trained_at: String,
    /// The settings used.
    pub settings: PolicySettings,
    /// How many linear stories and rules it learned from.
    pub stories: usize,
    /// How many rules.
    pub rules: usize,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    metadata: DialogueMetadata,
    /// Domain file names (in the `domain/` sub-directory), in load order.
    domain_files: Vec<String>,
    /// Training data files (in `responses/`) whose responses were merged, in order.
    #[serde(default)]
    response_files: Vec<String>,
    policies: PolicyEnsemble,
}

/// A domain file as it was trained with: its name and text.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainSource {
    /// The file name (`domain.yml`, `responses.yml`).
    pub name: String,
    /// Its text.
    pub text: String,
    /// A training data file, of which only the `responses` belong to the domain.
    pub training_data: bool,
}

/// The domain and trained policies.
#[derive(Debug, Clone)]
pub struct DialogueModel {
    /// The domain.
    pub domain: Domain,
    /// The trained policies.
    pub policies: PolicyEnsemble,
    /// What it was trained from.
    pub metadata: DialogueMetadata,
    sources: Vec<DomainSource>,
    initial_slots: Arc<BTreeMap<SlotName, Value>>,
}

/// Every slot of `domain` with its initial value.
fn initial_slots(domain: &Domain) -> Arc<BTreeMap<SlotName, Value>> {
    Arc::new(
        domain
            .slots
            .values()
            .map(|s| (s.name.clone(), s.initial_value.clone()))
            .collect(),
    )
}

impl DialogueModel {
    /// Trains the policies on `data` (checkpoints and `or` expanded) for `domain`.
    pub fn train(
        domain: Domain,
        sources: Vec<DomainSource>,
        data: &DialogueData,
        settings: PolicySettings,
        fingerprint: String,
    ) -> Self {
        let stories: Vec<Trace> = StoryGraph::new(&data.stories)
            .expand(Limits::default())
            .stories
            .iter()
            .map(trace)
            .collect();
        let rules: Vec<Trace> = linear_rules(&data.rules, Limits::default())
            .stories
            .iter()
            .map(trace)
            .collect();
        let initial = initial_slots(&domain);
        let policies =
            PolicyEnsemble::train(&rules, &stories, &initial, &domain, settings.max_history);
        let metadata = DialogueMetadata {
            format_version: DIALOGUE_FORMAT_VERSION,
            bela_version: env!("CARGO_PKG_VERSION").to_owned(),
            fingerprint,
            trained_at: jiff::Timestamp::now().to_string(),
            settings,
            stories: stories.len(),
            rules: rules.len(),
        };
        Self {
            domain,
            policies,
            metadata,
            sources,
            initial_slots: initial,
        }
    }

    /// The next action for `tracker`, never one of `excluded`.
    pub fn predict(&self, tracker: &Tracker, excluded: &[ActionName]) -> Prediction {
        self.policies
            .predict(tracker, &self.initial_slots, &self.domain, excluded)
    }

    /// A new, empty conversation for `sender`.
    pub fn new_tracker(&self, sender: SenderId) -> Tracker {
        Tracker::new(sender, self.initial_slots.clone())
    }

    /// Every slot with its initial value.
    pub fn initial_slots(&self) -> &Arc<BTreeMap<SlotName, Value>> {
        &self.initial_slots
    }

    /// Saves the model into a new directory under `models_dir`.
    pub fn save(&self, models_dir: &Path) -> Result<PathBuf> {
        let name = model_dir::dir_name(
            "core",
            &self.metadata.trained_at,
            &self.metadata.fingerprint,
        );
        model_dir::write_atomically(models_dir, &name, |dir| {
            let (data, domain): (Vec<_>, Vec<_>) =
                self.sources.iter().partition(|s| s.training_data);
            let stored = Stored {
                metadata: self.metadata.clone(),
                domain_files: write_sources(&dir.join(DOMAIN_DIR), &domain)?,
                response_files: write_sources(&dir.join(RESPONSES_DIR), &data)?,
                policies: self.policies.clone(),
            };
            let path = dir.join(DIALOGUE_FILE);
            std::fs::write(&path, serde_json::to_vec(&stored)?).map_err(|e| Error::io(&path, e))
        })
    }

    /// Loads the model in `dir`, refusing another format version.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(DIALOGUE_FILE);
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::ModelNotFound(dir.to_path_buf()),
            _ => Error::io(&path, e),
        })?;
        let corrupt = |message: String| Error::ModelCorrupt {
            path: dir.to_path_buf(),
            message,
        };
        let raw: Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        let found = raw["metadata"]["format_version"].as_u64().unwrap_or(0) as u32;
        if found != DIALOGUE_FORMAT_VERSION {
            return Err(Error::ModelVersion {
                path: dir.to_path_buf(),
                found,
                expected: DIALOGUE_FORMAT_VERSION,
            });
        }
        let stored: Stored = serde_json::from_value(raw).map_err(|e| corrupt(e.to_string()))?;
        let response_paths: Vec<PathBuf> = stored
            .response_files
            .iter()
            .map(|f| dir.join(RESPONSES_DIR).join(f))
            .collect();
        let loaded = Domain::load_with_responses(&dir.join(DOMAIN_DIR), &response_paths)?;
        if loaded.has_errors() {
            return Err(corrupt("its domain files do not load".into()));
        }
        let mut sources = read_sources(&dir.join(DOMAIN_DIR), &stored.domain_files, false)?;
        sources.extend(read_sources(
            &dir.join(RESPONSES_DIR),
            &stored.response_files,
            true,
        )?);
        let initial = initial_slots(&loaded.domain);
        Ok(Self {
            domain: loaded.domain,
            policies: stored.policies,
            metadata: stored.metadata,
            sources,
            initial_slots: initial,
        })
    }
}

/// Writes `sources` into `dir`, returning the file names in order.
fn write_sources(dir: &Path, sources: &[&DomainSource]) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        // Numbered so files of the same name from different folders stay apart and
        // load in the order they were trained with.
        let file = format!("{i:03}-{}", source.name);
        let path = dir.join(&file);
        std::fs::write(&path, &source.text).map_err(|e| Error::io(&path, e))?;
        files.push(file);
    }
    Ok(files)
}

/// Reads back the sources [`write_sources`] wrote.
fn read_sources(dir: &Path, files: &[String], training_data: bool) -> Result<Vec<DomainSource>> {
    files
        .iter()
        .map(|file| {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let name = file
                .split_once('-')
                .map_or(file.as_str(), |(_, n)| n)
                .to_owned();
            Ok(DomainSource {
                name,
                text,
                training_data,
            })
        })
        .collect()
}

/// The newest dialogue model directory under `models_dir`, if any.
pub fn latest_dialogue_model(models_dir: &Path) -> Result<Option<PathBuf>> {
    model_dir::latest(models_dir, "core", DIALOGUE_FILE)
}
