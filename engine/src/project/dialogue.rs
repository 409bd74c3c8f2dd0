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

    /// Loads the domain, with the `responses` of the training data merged in as Rasa
    /// merges them; an absent domain is an empty one (an NLU-only project).
    pub fn load_domain(&self) -> Result<(Domain, Vec<DomainSource>, Vec<Diagnostic>)> {
        let files = self.domain_files()?;
        if files.is_empty() {
            return Ok((Domain::default(), Vec::new(), Vec::new()));
        }
        let loaded = Domain::load_with_responses(&self.domain_path(), &self.training_files()?)?;
        let domain_sources = files.iter().map(|f| source(f, false));
        let data_sources = loaded.response_files.iter().map(|f| source(f, true));
        let sources = domain_sources.chain(data_sources).collect::<Result<_>>()?;
        Ok((loaded.domain, sources, loaded.diagnostics))
    }

    /// The YAML training data files (test stories left out).
    fn training_files(&self) -> Result<Vec<PathBuf>> {
        Ok(self
            .data_files()?
            .into_iter()
            .filter(|f| is_yaml(f) && !is_test_stories_file(f))
            .collect())
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
        // The training data holds the stories and rules, and responses the domain merges.
        for file in self.training_files()? {
            fp.add_file(self.root(), &file)?;
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

/// A file as the model keeps it.
fn source(file: &Path, training_data: bool) -> Result<DomainSource> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let name = file
        .file_name()
        .map_or_else(|| "domain.yml".into(), |n| n.to_string_lossy().into_owned());
    Ok(DomainSource {
        name,
        text,
        training_data,
    })
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOMAIN: &str = r#"version: "3.1"
intents: [greet, faq]
responses:
  utter_greet:
  - text: "Olá!"
"#;

    const NLU: &str = r#"version: "3.1"
nlu:
- intent: faq/ask_price
  examples: |
    - quanto custa
responses:
  utter_faq/ask_price:
  - text: "Depende do procedimento."
  utter_greet:
  - text: "Oi, tudo bem?"
"#;

    fn project(nlu: &str) -> Result<(tempfile::TempDir, Project)> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("data")).map_err(|e| Error::io(root, e))?;
        std::fs::write(root.join("domain.yml"), DOMAIN).map_err(|e| Error::io(root, e))?;
        std::fs::write(root.join("data/nlu.yml"), nlu).map_err(|e| Error::io(root, e))?;
        let project = Project::open(root)?;
        Ok((dir, project))
    }

    fn text(domain: &Domain, response: &str) -> Option<String> {
        domain.response(response)?.first()?.text.clone()
    }

    #[test]
    fn responses_of_the_training_data_join_the_domain_and_replace_its_own() -> Result<()> {
        let (_dir, project) = project(NLU)?;
        let (domain, sources, diagnostics) = project.load_domain()?;
        assert_eq!(
            text(&domain, "utter_faq/ask_price").as_deref(),
            Some("Depende do procedimento.")
        );
        assert!(
            domain.has_action("utter_faq"),
            "the retrieval action exists"
        );
        assert_eq!(
            text(&domain, "utter_greet").as_deref(),
            Some("Oi, tudo bem?")
        );
        let replaced: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.message.contains("replaces"))
            .collect();
        assert_eq!(replaced.len(), 1, "{diagnostics:?}");
        assert_eq!(replaced[0].location.line, 9);
        let kinds: Vec<(&str, bool)> = sources
            .iter()
            .map(|s| (s.name.as_str(), s.training_data))
            .collect();
        assert_eq!(kinds, [("domain.yml", false), ("nlu.yml", true)]);
        Ok(())
    }

    #[test]
    fn the_saved_model_keeps_the_merged_responses() -> Result<()> {
        let (_dir, project) = project(NLU)?;
        let DialogueTrainOutcome::Trained { dir, .. } = project.train_dialogue(false)? else {
            panic!("a first training trains");
        };
        let model = DialogueModel::load(&dir)?;
        assert_eq!(
            text(&model.domain, "utter_faq/ask_price").as_deref(),
            Some("Depende do procedimento.")
        );
        assert_eq!(
            text(&model.domain, "utter_greet").as_deref(),
            Some("Oi, tudo bem?")
        );
        Ok(())
    }

    #[test]
    fn changing_a_response_in_the_training_data_changes_the_fingerprint() -> Result<()> {
        let (_dir, project) = project(NLU)?;
        let settings = PolicySettings::default();
        let before = project.dialogue_fingerprint(&settings)?;
        let nlu = project.root().join("data/nlu.yml");
        let changed = NLU.replace("Depende do procedimento.", "A partir de R$ 500.");
        std::fs::write(&nlu, changed).map_err(|e| Error::io(&nlu, e))?;
        assert_ne!(project.dialogue_fingerprint(&settings)?, before);
        Ok(())
    }
}
