//! The dialogue half of a project: the domain, stories and rules, trained into a
//! `core-*` model when (and only when) they changed.

use super::{Fingerprint, Project};
use crate::data::{Diagnostic, Severity};
use crate::dialogue::domain::Domain;
use crate::dialogue::model::{
    DIALOGUE_FORMAT_VERSION, DialogueModel, DomainSource, PolicySettings, latest_dialogue_model,
};
use crate::dialogue::stories::DialogueData;
use crate::dialogue::stories::loader::{is_test_stories_file, load_training};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// What `Project::train_dialogue` did.
pub enum DialogueTrainOutcome {
    /// A new model was trained and saved in `dir`.
    Trained {
        /// The new model directory.
        dir: PathBuf,
        /// The model itself.
        model: Box<DialogueModel>,
        /// Warnings about the domain, stories and configuration.
        warnings: Vec<Diagnostic>,
    },
    /// The newest model was trained from the same inputs.
    UpToDate {
        /// The existing model directory.
        dir: PathBuf,
    },
}

impl Project {
    /// The domain files: `domain.yml`, or every YAML file under `domain/`, sorted.
    pub fn domain_files(&self) -> Result<Vec<PathBuf>> {
        let path = self.domain_path();
        if path.is_dir() {
            Ok(super::data_files(&[path])?
                .into_iter()
                .filter(|p| is_yaml(p))
                .collect())
        } else if path.is_file() {
            Ok(vec![path])
        } else {
            Ok(Vec::new())
        }
    }

    /// Loads the domain; an absent domain is an empty one (an NLU-only project).
    pub fn load_domain(&self) -> Result<(Domain, Vec<DomainSource>, Vec<Diagnostic>)> {
        let files = self.domain_files()?;
        if files.is_empty() {
            return Ok((Domain::default(), Vec::new(), Vec::new()));
        }
        let loaded = Domain::load(&self.domain_path())?;
        let mut sources = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            let name = file
                .file_name()
                .map_or_else(|| "domain.yml".into(), |n| n.to_string_lossy().into_owned());
            sources.push(DomainSource { name, text });
        }
        Ok((loaded.domain, sources, loaded.diagnostics))
    }

    /// The training stories and rules of the project (test stories files left out).
    pub fn load_dialogue_data(&self) -> Result<(DialogueData, Vec<Diagnostic>)> {
        load_training(&self.data_dirs()?)
    }

    /// The policy settings (`policies:` of `config.yml`).
    pub fn policy_settings(&self) -> Result<(PolicySettings, Vec<Diagnostic>)> {
        PolicySettings::load(&self.config_path())
    }

    /// The fingerprint of everything the dialogue model depends on.
    pub fn dialogue_fingerprint(&self, settings: &PolicySettings) -> Result<String> {
        let mut fp = Fingerprint::new();
        fp.add("format", &DIALOGUE_FORMAT_VERSION.to_le_bytes());
        fp.add("settings", &serde_json::to_vec(settings)?);
        for file in self.domain_files()? {
            fp.add_file(self.root(), &file)?;
        }
        for file in self.data_files()? {
            if is_yaml(&file) && !is_test_stories_file(&file) {
                fp.add_file(self.root(), &file)?;
            }
        }
        Ok(fp.finish())
    }

    /// Trains the dialogue model unless the newest one was trained from the same inputs
    /// (or `force`). Errors in the domain or the stories abort training and leave saved
    /// models untouched.
    pub fn train_dialogue(&self, force: bool) -> Result<DialogueTrainOutcome> {
        let (settings, mut warnings) = self.policy_settings()?;
        let fingerprint = self.dialogue_fingerprint(&settings)?;
        if !force
            && let Some(dir) = latest_dialogue_model(&self.models_dir())?
            && DialogueModel::load(&dir).is_ok_and(|m| m.metadata.fingerprint == fingerprint)
        {
            return Ok(DialogueTrainOutcome::UpToDate { dir });
        }
        let (model, more) = self.dialogue_model(settings, fingerprint)?;
        warnings.extend(more);
        let dir = model.save(&self.models_dir())?;
        Ok(DialogueTrainOutcome::Trained {
            dir,
            model: Box::new(model),
            warnings,
        })
    }

    /// Trains the dialogue model in memory (nothing saved), with the warnings found.
    /// Errors in the domain or the stories are [`Error::InvalidData`].
    pub fn dialogue_model(
        &self,
        settings: PolicySettings,
        fingerprint: String,
    ) -> Result<(DialogueModel, Vec<Diagnostic>)> {
        let (domain, sources, domain_diags) = self.load_domain()?;
        let (data, data_diags) = self.load_dialogue_data()?;
        let (errors, warnings): (Vec<_>, Vec<_>) = domain_diags
            .into_iter()
            .chain(data_diags)
            .partition(|d| d.severity == Severity::Error);
        if !errors.is_empty() {
            return Err(Error::InvalidData(errors));
        }
        let model = DialogueModel::train(domain, sources, &data, settings, fingerprint);
        Ok((model, warnings))
    }

    /// Loads the newest dialogue model, if the project has one.
    pub fn load_latest_dialogue(&self) -> Result<Option<(PathBuf, DialogueModel)>> {
        match latest_dialogue_model(&self.models_dir())? {
            Some(dir) => Ok(Some((dir.clone(), DialogueModel::load(&dir)?))),
            None => Ok(None),
        }
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}
