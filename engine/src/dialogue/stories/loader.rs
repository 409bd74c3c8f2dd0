//! Loads dialogue data from files and directories, through the NLU loader's file walker
//! so both see the same files. YAML files and Markdown stories are read; other files
//! (NLU Markdown, JSON) are skipped.

use super::model::DialogueData;
use super::{markdown, reader};
use crate::data::{Diagnostic, loader};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The file name prefix of Rasa's test stories (`tests/test_stories.yml`).
pub const TEST_STORIES_PREFIX: &str = "test_";

/// Whether `path` names a test stories file, as Rasa decides: a file whose name starts
/// with `test_`.
pub fn is_test_stories_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(TEST_STORIES_PREFIX))
}

/// Loads the training stories and rules in `paths`, leaving out test stories files (as
/// Rasa's importer does, so a `tests/` folder under the data does not leak into
/// training). Only I/O failures are `Err`.
pub fn load_training(paths: &[PathBuf]) -> Result<(DialogueData, Vec<Diagnostic>)> {
    load_where(paths, |p| !is_test_stories_file(p))
}

/// Loads every story and rule in `paths`, test stories files included.
pub fn load_all(paths: &[PathBuf]) -> Result<(DialogueData, Vec<Diagnostic>)> {
    load_where(paths, |_| true)
}

/// Loads the test stories in `paths` as `rasa test` finds them: a file given by name is
/// read whatever its name; in a directory only test stories files (`test_*`) are, so
/// fixtures and other YAML beside them are left alone.
pub fn load_tests(paths: &[PathBuf]) -> Result<(DialogueData, Vec<Diagnostic>)> {
    load_where(paths, |p| {
        is_test_stories_file(p) || paths.iter().any(|given| given == p)
    })
}

fn load_where(
    paths: &[PathBuf],
    keep: impl Fn(&Path) -> bool,
) -> Result<(DialogueData, Vec<Diagnostic>)> {
    let mut data = DialogueData::default();
    let mut diags = Vec::new();
    for file in loader::data_files(paths)? {
        if !keep(&file) {
            continue;
        }
        let (d, mut ds) = if is_yaml(&file) {
            reader::read(&file)?
        } else if has_extension(&file, "md") {
            let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
            if !markdown::is_stories(&text) {
                continue;
            }
            markdown::parse(&text, &file)
        } else {
            continue;
        };
        data.merge(d);
        diags.append(&mut ds);
    }
    Ok((data, diags))
}

fn is_yaml(path: &Path) -> bool {
    has_extension(path, "yml") || has_extension(path, "yaml")
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_leaves_test_stories_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("data/tests")).expect("mkdir");
        let story = |name: &str| format!("stories:\n- story: {name}\n  steps:\n  - intent: oi\n");
        std::fs::write(root.join("data/stories.yml"), story("treino")).expect("write");
        std::fs::write(root.join("data/tests/test_stories.yml"), story("teste")).expect("write");
        std::fs::write(
            root.join("data/rules.yaml"),
            "rules:\n- rule: r\n  steps:\n  - action: utter_oi\n",
        )
        .expect("write");
        std::fs::write(root.join("data/stories.md"), "## antigo\n* oi\n").expect("write");
        let names = |data: &DialogueData| -> Vec<String> {
            data.stories.iter().map(|s| s.name.clone()).collect()
        };
        std::fs::write(root.join("data/nlu.md"), "## intent:oi\n- oi\n").expect("write");
        let (training, diags) = load_training(&[root.join("data")]).expect("loads");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(names(&training), ["antigo", "treino"]);
        assert_eq!(training.rules.len(), 1);
        let (all, _) = load_all(&[root.join("data")]).expect("loads");
        assert_eq!(names(&all), ["antigo", "treino", "teste"]);
        assert!(load_training(&[root.join("missing")]).is_err());
    }
}
