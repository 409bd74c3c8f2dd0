//! A Rasa-style project directory: `config.yml`, `domain.yml`, `data/` and/or
//! `training-data/`, `models/`, and an optional `slang.yml`.

mod dialogue;
mod train;

pub use crate::data::loader::data_files;
pub use dialogue::DialogueTrainOutcome;
pub use train::TrainOutcome;

use crate::{Error, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The directories Bela reads training data from, in order.
pub const DATA_DIRS: [&str; 2] = ["data", "training-data"];

/// A project on disk.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
    /// Synonyms the application adds to the data files' (see [`Project::with_synonyms`]).
    extra_synonyms: Vec<crate::data::Synonym>,
}

impl Project {
    /// Opens the project at `root` (which must be a directory).
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        if !root.is_dir() {
            return Err(Error::Config(format!(
                "{} is not a project directory",
                root.display()
            )));
        }
        Ok(Self {
            root,
            extra_synonyms: Vec::new(),
        })
    }

    /// Adds synonyms that do not live in the data files (the clinic's catalogue keeps
    /// the words patients use for each procedure): training merges them into the
    /// data's, where the data files win for a text they already map, and they count in
    /// the fingerprint.
    pub fn with_synonyms(mut self, synonyms: Vec<crate::data::Synonym>) -> Self {
        self.extra_synonyms.extend(synonyms);
        self
    }

    /// The synonyms added with [`Project::with_synonyms`].
    pub fn extra_synonyms(&self) -> &[crate::data::Synonym] {
        &self.extra_synonyms
    }

    /// The project directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `config.yml` (it may not exist: defaults apply).
    pub fn config_path(&self) -> PathBuf {
        self.root.join("config.yml")
    }

    /// `domain.yml`, or the `domain/` directory when that is what the project has.
    pub fn domain_path(&self) -> PathBuf {
        let dir = self.root.join("domain");
        if dir.is_dir() {
            dir
        } else {
            self.root.join("domain.yml")
        }
    }

    /// Where trained models go.
    pub fn models_dir(&self) -> PathBuf {
        self.root.join("models")
    }

    /// The training data directories that exist (`data/`, `training-data/`).
    pub fn data_dirs(&self) -> Result<Vec<PathBuf>> {
        let dirs: Vec<PathBuf> = DATA_DIRS
            .iter()
            .map(|d| self.root.join(d))
            .filter(|d| d.is_dir())
            .collect();
        if dirs.is_empty() {
            return Err(Error::Config(format!(
                "{} has no training data: expected a `data/` or `training-data/` directory",
                self.root.display()
            )));
        }
        Ok(dirs)
    }

    /// The slang table: `configured` (relative to the project) if given, else the project's
    /// `slang.yml` if present.
    pub fn slang_path(&self, configured: Option<&Path>) -> Option<PathBuf> {
        match configured {
            Some(p) => Some(self.root.join(p)),
            None => Some(self.root.join("slang.yml")).filter(|p| p.is_file()),
        }
    }
}

/// Builds a fingerprint (hex SHA-256) over named inputs: file contents and settings.
/// Anything that changes the trained model must be fed in.
#[derive(Default)]
pub struct Fingerprint {
    hasher: Sha256,
}

impl Fingerprint {
    /// An empty fingerprint.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a named piece of data.
    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        // Length-prefixed so that ("ab","c") and ("a","bc") differ.
        for part in [name.as_bytes(), bytes] {
            self.hasher.update((part.len() as u64).to_le_bytes());
            self.hasher.update(part);
        }
    }

    /// Adds a file's contents under its path relative to `root`.
    pub fn add_file(&mut self, root: &Path, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
        self.add(&name, &bytes);
        Ok(())
    }

    /// The hex digest.
    pub fn finish(self) -> String {
        self.hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_sorted_and_filtered() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("data/sub")).map_err(|e| Error::io(root, e))?;
        for f in [
            "data/b.yml",
            "data/a.md",
            "data/sub/c.yaml",
            "data/notes.txt",
        ] {
            std::fs::write(root.join(f), "x").map_err(|e| Error::io(f, e))?;
        }
        let project = Project::open(root)?;
        let files = data_files(&project.data_dirs()?)?;
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap_or(f).display().to_string())
            .collect();
        assert_eq!(names, ["data/a.md", "data/b.yml", "data/sub/c.yaml"]);
        Ok(())
    }

    #[test]
    fn missing_data_dir_is_a_clear_error() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        let err = Project::open(dir.path())?.data_dirs().unwrap_err();
        assert!(err.to_string().contains("training-data"), "{err}");
        Ok(())
    }

    #[test]
    fn fingerprint_depends_on_names_and_contents() {
        let fp = |pairs: &[(&str, &str)]| {
            let mut f = Fingerprint::new();
            for (n, b) in pairs {
                f.add(n, b.as_bytes());
            }
            f.finish()
        };
        assert_eq!(fp(&[("a", "x")]), fp(&[("a", "x")]));
        assert_ne!(fp(&[("a", "x")]), fp(&[("a", "y")]));
        assert_ne!(fp(&[("ab", "c")]), fp(&[("a", "bc")]));
    }
}
