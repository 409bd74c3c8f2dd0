//! Loads dialogue data from files and directories, through the NLU loader's file walker
//! so both see the same files. Only YAML is read here; other files are skipped.

use super::model::DialogueData;
use super::reader;
use crate::Result;
use crate::data::{Diagnostic, loader};
use std::path::{Path, PathBuf};

/// The file name prefix of Rasa's test stories (`tests/test_stories.yml`).
pub const TEST_STORIES_PREFIX: &str = "test_";

/// Whether `path` names a test stories file, as Rasa decides: a YAML file whose name
/// starts with `test_`.
pub fn is_test_stories_file(path: &Path) -> bool {
    is_yaml(path)
        && path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(TEST_STORIES_PREFIX))
}

/// Loads the training stories and rules in `paths`, leaving out test stories files (as
/// Rasa's importer does, so a `tests/` folder under the data does not leak into
/// training). Only I/O failures are `Err`.
pub fn load_training(paths: &[PathBuf]) -> Result<(DialogueData, Vec<Diagnostic>)> {
    load_where(paths, |p| !is_test_stories_file(p))
}

/// Loads every story and rule in `paths`, test stories files included: the form a test
/// run reads its test stories in.
pub fn load_all(paths: &[PathBuf]) -> Result<(DialogueData, Vec<Diagnostic>)> {
    load_where(paths, |_| true)
}

fn load_where(
    paths: &[PathBuf],
    keep: impl Fn(&Path) -> bool,
) -> Result<(DialogueData, Vec<Diagnostic>)> {
    let mut data = DialogueData::default();
    let mut diags = Vec::new();
    for file in loader::data_files(paths)? {
        if is_yaml(&file) && keep(&file) {
            let (d, mut ds) = reader::read(&file)?;
            data.merge(d);
            diags.append(&mut ds);
        }
    }
    Ok((data, diags))
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}
