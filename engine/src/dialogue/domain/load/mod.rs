//! Loading a domain from one file or a directory of domain files.

mod check;
mod merge;
mod read_responses;
mod read_sections;
mod read_slots;
mod reader;

use super::Domain;
use crate::data::{Diagnostic, Location, Severity, loader};
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A loaded domain with every problem found while reading and checking it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The domain (whatever could be read when there are errors).
    pub domain: Domain,
    /// Errors and warnings, located.
    pub diagnostics: Vec<Diagnostic>,
    /// The training data files whose `responses` were merged in, in order.
    pub response_files: Vec<PathBuf>,
}

impl Loaded {
    /// True when a diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The domain, or [`Error::InvalidData`] with the diagnostics when there are errors.
    pub fn into_result(self) -> Result<Domain> {
        if self.has_errors() {
            Err(Error::InvalidData(self.diagnostics))
        } else {
            Ok(self.domain)
        }
    }
}

impl Domain {
    /// Loads the domain at `path`: a domain file, or a directory whose YAML files with
    /// domain keys are merged (in sorted path order; the first declaration of a name
    /// wins and later ones are reported). Only I/O failures are `Err`; problems in the
    /// files are diagnostics.
    pub fn load(path: &Path) -> Result<Loaded> {
        Self::load_with_responses(path, &[])
    }

    /// Loads the domain at `path` as [`Domain::load`] does, then merges the `responses`
    /// of the training data files `data_files` (other files are skipped), which replace
    /// the domain's of the same name, as Rasa merges an NLU file's responses.
    pub fn load_with_responses(path: &Path, data_files: &[PathBuf]) -> Result<Loaded> {
        let mut parts = Self::domain_parts(path)?;
        for file in data_files.iter().filter(|f| is_yaml(f)) {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            parts.push(reader::read_responses(&text, file));
        }
        let no_domain = !parts.iter().any(|p| p.is_domain);
        let mut loaded = merge::merge(parts);
        if no_domain && std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            let at = Location::new(Arc::new(path.to_path_buf()), 1, 1);
            let message =
                "the directory has no domain file (YAML with `intents`, `slots`, `responses`, ...)";
            loaded.diagnostics.push(Diagnostic::warning(at, message));
        }
        Ok(loaded)
    }

    /// The declarations of the domain file at `path`, or of a directory's domain files.
    fn domain_parts(path: &Path) -> Result<Vec<reader::FilePart>> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let mut parts = Vec::new();
        if meta.is_dir() {
            for file in loader::data_files(&[path.to_path_buf()])? {
                if !is_yaml(&file) {
                    continue;
                }
                let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
                let part = reader::read(&text, &file);
                if part.is_domain {
                    parts.push(part);
                }
            }
        } else {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            parts.push(reader::read(&text, path));
        }
        Ok(parts)
    }

    /// Parses one domain file's `text`; `path` names it in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Loaded {
        merge::merge(vec![reader::read(text, path)])
    }

    /// Parses several domain files, given as `(text, path)`, merged in order as
    /// [`Domain::load`] merges a directory.
    pub fn parse_files(files: &[(&str, PathBuf)]) -> Loaded {
        merge::merge(files.iter().map(|(t, p)| reader::read(t, p)).collect())
    }
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml")
    )
}
