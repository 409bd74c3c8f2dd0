//! Loading a project's configuration and data, and training it when (and only when) its
//! inputs changed.

use super::{Fingerprint, Project, data_files};
use crate::config::PipelineConfig;
use crate::data::{Diagnostic, Severity, TrainingData, loader, validate};
use crate::nlu::Progress;
use crate::nlu::model::{MODEL_FORMAT_VERSION, NluModel, latest_model, read_metadata};
use crate::text::SlangTable;
use crate::{Error, Result};
use std::path::PathBuf;

/// What `Project::train` did.
pub enum TrainOutcome {
    /// A new model was trained and saved in `dir`.
    Trained {
        /// The new model directory.
        dir: PathBuf,
        /// The model itself, ready to serve.
        model: Box<NluModel>,
        /// Warnings about the data.
        warnings: Vec<Diagnostic>,
    },
    /// The newest model was trained from the same inputs: nothing to do.
    UpToDate {
        /// The existing model directory.
        dir: PathBuf,
    },
}

impl Project {
    /// Reads `config.yml` (defaults when absent); diagnostics are warnings about ignored
    /// options. A relative encoder path is made relative to the project.
    pub fn load_config(&self) -> Result<(PipelineConfig, Vec<Diagnostic>)> {
        let path = self.config_path();
        let (mut config, warnings) = if path.is_file() {
            PipelineConfig::load(&path)?
        } else {
            (PipelineConfig::default(), Vec::new())
        };
        if let Some(encoder) = &mut config.encoder
            && encoder.model_path.is_relative()
        {
            encoder.model_path = self.root().join(&encoder.model_path);
        }
        Ok((config, warnings))
    }

    /// The slang table for `config`: the configured or project file, else the built-in
    /// table for Portuguese, else none.
    pub fn slang(&self, config: &PipelineConfig) -> Result<SlangTable> {
        match self.slang_path(config.text.slang.as_deref()) {
            Some(path) => SlangTable::load(&path),
            None if config.language.starts_with("pt") => Ok(SlangTable::default_pt()),
            None => Ok(SlangTable::empty()),
        }
    }

    /// The training data files of the project.
    pub fn data_files(&self) -> Result<Vec<PathBuf>> {
        data_files(&self.data_dirs()?)
    }

    /// Loads and validates all training data; every diagnostic (errors and warnings) is
    /// returned, errors first.
    pub fn load_data(&self) -> Result<(TrainingData, Vec<Diagnostic>)> {
        let (mut data, mut diagnostics) = loader::load_training_data(&self.data_files()?)?;
        merge_synonyms(&mut data, self.extra_synonyms());
        diagnostics.extend(validate::validate(&data));
        diagnostics.sort_by_key(|d| d.severity);
        Ok((data, diagnostics))
    }

    /// The fingerprint of everything training depends on.
    pub fn fingerprint(&self, config: &PipelineConfig, slang: &SlangTable) -> Result<String> {
        let mut fp = Fingerprint::new();
        fp.add("format", &MODEL_FORMAT_VERSION.to_le_bytes());
        fp.add("config", &serde_json::to_vec(config)?);
        fp.add("slang", &serde_json::to_vec(&slang.entries())?);
        if !self.extra_synonyms().is_empty() {
            fp.add("synonyms", &serde_json::to_vec(self.extra_synonyms())?);
        }
        for file in self.data_files()? {
            fp.add_file(self.root(), &file)?;
        }
        Ok(fp.finish())
    }

    /// Trains a model unless the newest one was trained from the same inputs (or `force`).
    /// Data that cannot be read aborts with [`Error::InvalidData`]; nothing already saved is
    /// touched.
    pub fn train(&self, force: bool, progress: &mut dyn FnMut(Progress)) -> Result<TrainOutcome> {
        let (config, mut warnings) = self.load_config()?;
        let slang = self.slang(&config)?;
        let fingerprint = self.fingerprint(&config, &slang)?;
        if !force
            && let Some(dir) = latest_model(&self.models_dir())?
            && read_metadata(&dir).is_ok_and(|m| m.fingerprint == fingerprint)
        {
            return Ok(TrainOutcome::UpToDate { dir });
        }
        // As Rasa does, only data that cannot be read stops training; what the validator
        // finds (an example under two intents, too few examples...) is reported and training
        // goes on. `bela data validate` fails on both.
        let (mut data, read) = loader::load_training_data(&self.data_files()?)?;
        merge_synonyms(&mut data, self.extra_synonyms());
        let (errors, mut data_warnings): (Vec<_>, Vec<_>) = read
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        if !errors.is_empty() {
            return Err(Error::InvalidData(errors));
        }
        data_warnings.extend(validate::validate(&data).into_iter().map(|mut d| {
            d.severity = Severity::Warning;
            d
        }));
        warnings.extend(data_warnings);
        let model = crate::nlu::train::train(&data, &config, slang, fingerprint, progress)?;
        let dir = model.save(&self.models_dir())?;
        Ok(TrainOutcome::Trained {
            dir,
            model: Box::new(model),
            warnings,
        })
    }

    /// Loads the newest trained model.
    pub fn load_latest_model(&self) -> Result<(PathBuf, NluModel)> {
        let dir = latest_model(&self.models_dir())?
            .ok_or_else(|| Error::ModelNotFound(self.models_dir()))?;
        let model = NluModel::load(&dir)?;
        Ok((dir, model))
    }
}

/// Adds `extra` to the data's synonyms, skipping texts the data already maps (the data
/// files win), case-insensitively as the synonym mapper matches.
fn merge_synonyms(data: &mut TrainingData, extra: &[crate::data::Synonym]) {
    let mut mapped: std::collections::HashSet<String> = data
        .synonyms
        .iter()
        .flat_map(|s| s.examples.iter().map(|e| e.to_lowercase()))
        .collect();
    for synonym in extra {
        let examples: Vec<String> = synonym
            .examples
            .iter()
            .filter(|e| mapped.insert(e.to_lowercase()))
            .cloned()
            .collect();
        if examples.is_empty() {
            continue;
        }
        match data.synonyms.iter_mut().find(|s| s.value == synonym.value) {
            Some(existing) => existing.examples.extend(examples),
            None => data.synonyms.push(crate::data::Synonym {
                examples,
                ..synonym.clone()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Synonym;

    fn synonym(value: &str, examples: &[&str]) -> Synonym {
        Synonym {
            value: value.into(),
            examples: examples.iter().map(|e| (*e).to_owned()).collect(),
            location: None,
        }
    }

    #[test]
    fn extra_synonyms_join_the_datas_and_the_data_files_win() {
        let mut data = TrainingData {
            synonyms: vec![synonym("botox", &["btx"]), synonym("peeling", &["Botoks"])],
            ..TrainingData::default()
        };
        merge_synonyms(
            &mut data,
            &[
                synonym("botox", &["botoks", "toxina botulínica", "BTX"]),
                synonym("criolipolise", &["crio"]),
            ],
        );
        let of = |value: &str| {
            data.synonyms
                .iter()
                .find(|s| s.value == value)
                .map(|s| s.examples.clone())
        };
        assert_eq!(
            of("botox"),
            Some(vec!["btx".to_owned(), "toxina botulínica".to_owned()])
        );
        assert_eq!(
            of("peeling"),
            Some(vec!["Botoks".to_owned()]),
            "the data's mapping stays"
        );
        assert_eq!(of("criolipolise"), Some(vec!["crio".to_owned()]));
    }
}
