//! Loads training data from files and directories in any supported format: Rasa 3
//! YAML (`.yml`, `.yaml`), Rasa 1.x Markdown (`.md`) and JSON example lists (`.json`).
//!
//! Directories are walked recursively in sorted order, so the example order is the same
//! on every machine. Files that are not NLU data (domain, config, stories, READMEs,
//! JSON other than example lists) are skipped without a word, whether named or found in
//! a directory: callers pass every file of a data directory.

use super::{Diagnostic, Location, TrainingData, markdown, test_set, yaml};
use crate::{Error, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Extensions of the files the loader reads.
const EXTENSIONS: &[&str] = &["yml", "yaml", "md", "json"];

/// Loads and merges the training data in `paths` (files or directories), in order.
///
/// Problems in the data come back as diagnostics (the caller decides whether errors
/// stop training); only I/O failures, such as a missing path, are `Err`.
pub fn load_training_data(paths: &[PathBuf]) -> Result<(TrainingData, Vec<Diagnostic>)> {
    let mut data = TrainingData::default();
    let mut diags = Vec::new();
    for file in data_files(paths)? {
        let (d, mut ds) = load_file(&file)?;
        data.merge(d);
        diags.append(&mut ds);
    }
    Ok((data, diags))
}

/// Loads one file of training data, whatever its format (by extension). A file that
/// is not NLU data gives empty data and no diagnostics.
pub fn load_file(path: &Path) -> Result<(TrainingData, Vec<Diagnostic>)> {
    let ext = extension(path).unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        let message = "unsupported training data file: expected .yml, .yaml, .md or .json";
        return Ok((TrainingData::default(), vec![file_error(path, message)]));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let parsed = match ext.as_str() {
        "yml" | "yaml" => yaml::parse(&text, path),
        "md" if markdown::is_nlu(&text) => markdown::parse(&text, path),
        // Invalid JSON is reported: it may well be a broken example list.
        "json" if test_set::is_example_list(&text) != Some(false) => {
            let (examples, diags) = test_set::parse_json(&text, path);
            let data = TrainingData {
                examples,
                ..TrainingData::default()
            };
            (data, diags)
        }
        _ => (TrainingData::default(), Vec::new()),
    };
    Ok(parsed)
}

/// The files `paths` stand for: files as given, directories expanded recursively
/// (sorted, hidden entries skipped, only known extensions), each file once. Training,
/// fingerprints and validation all list files through here, so they see the same set.
pub fn data_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            entries.push(entry.path());
        }
    }
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, files)?;
        } else if extension(&path).is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
            files.push(path);
        }
    }
    Ok(())
}

/// The lower-cased extension of `path`.
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn file_error(path: &Path, message: &str) -> Diagnostic {
    Diagnostic::error(Location::new(Arc::new(path.to_path_buf()), 1, 1), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn loads_a_project_tree_in_sorted_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(
            root,
            "data/b/nlu.yml",
            "nlu:\n- intent: b\n  examples: |\n    - bê\n",
        );
        write(root, "data/a.md", "## intent:a\n- á\n");
        write(
            root,
            "data/stories.md",
            "## caminho feliz\n* saudar\n  - utter_oi\n",
        );
        write(root, "data/rules.yml", "rules:\n- rule: r\n  steps: []\n");
        write(root, "data/c.json", r#"[{"text": "cê", "intent": "c"}]"#);
        write(root, "data/tracker.json", r#"{"events": []}"#);
        write(root, "data/.hidden/x.yml", "nlu: [1]\n");
        write(root, "data/notes.txt", "- not data\n");
        let (data, diags) = load_training_data(&[root.join("data")]).expect("loads");
        assert!(diags.is_empty(), "{diags:?}");
        let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["á", "bê", "cê"]);
    }

    #[test]
    fn named_files_that_are_not_nlu_are_skipped_and_missing_paths_fail() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "stories.md", "## caminho\n* oi\n");
        write(dir.path(), "t.json", r#"{"events": []}"#);
        write(dir.path(), "bad.json", r#"[{"text": "a", "intent": }]"#);
        for name in ["stories.md", "t.json"] {
            let (data, diags) = load_file(&dir.path().join(name)).expect("reads");
            assert!(
                diags.is_empty() && data == TrainingData::default(),
                "{name}"
            );
        }
        let (_, diags) = load_file(&dir.path().join("bad.json")).expect("reads");
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.starts_with("invalid JSON"));
        let err = load_training_data(&[dir.path().join("missing.yml")]).expect_err("missing");
        assert!(matches!(err, Error::Io { .. }));
    }

    #[test]
    fn test_sets_accept_yaml_too() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(
            dir.path(),
            "test.yml",
            "nlu:\n- intent: a\n  examples: |\n    - [x](e)\n",
        );
        let (examples, diags) =
            test_set::load_test_set(&dir.path().join("test.yml")).expect("reads");
        assert!(diags.is_empty());
        assert_eq!(examples[0].entities[0].entity.as_str(), "e");
    }
}
