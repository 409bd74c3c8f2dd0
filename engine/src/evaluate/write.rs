//! Writing an evaluation's reports and pictures into a directory.

use super::cross_validation::CrossValidationReport;
use super::{Evaluation, plot_confusion, plot_histogram};
use crate::{Error, Result};
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};

impl Evaluation {
    /// Writes into `dir` (created if missing), returning the paths written:
    /// `intent_report.json`, `intent_errors.json`, `entity_report.json`,
    /// `<Extractor>_report.json` per extractor, `entity_errors.json`,
    /// `intent_confusion_matrix.svg`, `intent_histogram.svg`, and
    /// `cross_validation.json` (per-fold scores, mean and std) for merged folds.
    /// Error files are written even when empty, so the set of files is predictable.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut out = Output {
            dir,
            written: Vec::new(),
        };
        out.json("intent_report.json", &self.intent_report)?;
        out.json("intent_errors.json", &self.intent_errors)?;
        out.json("entity_report.json", &self.entity_report)?;
        for (extractor, report) in &self.extractor_reports {
            out.json(&extractor_file(extractor), report)?;
        }
        out.json("entity_errors.json", &self.entity_errors)?;
        if !self.folds.is_empty() {
            let report = CrossValidationReport::new(&self.folds);
            out.json("cross_validation.json", &report)?;
        }
        let title = format!(
            "Intent confusion matrix: accuracy {:.1}% on {} examples",
            self.intent_report.accuracy * 100.0,
            self.len()
        );
        out.svg("intent_confusion_matrix.svg", || {
            plot_confusion::confusion_svg(&self.confusion, &title)
        })?;
        let (hits, misses) = self.confidences();
        out.svg("intent_histogram.svg", || {
            plot_histogram::histogram_svg(&hits, &misses)
        })?;
        Ok(out.written)
    }
}

/// `<Extractor>_report.json`, with the name made safe for a file name and kept apart
/// from the overall reports' names.
fn extractor_file(extractor: &str) -> String {
    let safe: String = extractor
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() || safe == "entity" || safe == "intent" {
        format!("extractor_{safe}_report.json")
    } else {
        format!("{safe}_report.json")
    }
}

struct Output<'a> {
    dir: &'a Path,
    written: Vec<PathBuf>,
}

impl Output<'_> {
    fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(value)?;
        self.text(name, &text)
    }

    fn svg(
        &mut self,
        name: &str,
        render: impl FnOnce() -> Result<String, plot_confusion::PlotError>,
    ) -> Result<()> {
        // Rendering goes to memory, so a failure is reported against the file it was for.
        let svg = render()
            .map_err(|e| Error::io(self.dir.join(name), std::io::Error::other(e.to_string())))?;
        self.text(name, &svg)
    }

    fn text(&mut self, name: &str, text: &str) -> Result<()> {
        let path = self.dir.join(name);
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        self.written.push(path);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::test_support::{entity_fixture, intent_fixture};
    use crate::evaluate::{evaluate, merge};

    fn names(paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn writes_every_file_into_a_new_directory() -> Result<()> {
        let tmp = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
        let dir = tmp.path().join("results").join("nlu");
        let (gold, predicted) = entity_fixture();
        let written = evaluate(&gold, &predicted)?.write(&dir)?;
        assert_eq!(
            names(&written),
            [
                "intent_report.json",
                "intent_errors.json",
                "entity_report.json",
                "CRFEntityExtractor_report.json",
                "RegexEntityExtractor_report.json",
                "entity_errors.json",
                "intent_confusion_matrix.svg",
                "intent_histogram.svg",
            ]
        );
        assert!(written.iter().all(|p| p.is_file()));
        let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap_or_default();
        let report: serde_json::Value = serde_json::from_str(&read("intent_report.json"))?;
        assert_eq!(report["accuracy"], 1.0);
        let errors: serde_json::Value = serde_json::from_str(&read("entity_errors.json"))?;
        assert_eq!(errors.as_array().map(Vec::len), Some(3));
        let svg = read("intent_confusion_matrix.svg");
        assert!(
            ["book", "greet"]
                .iter()
                .all(|l| svg.lines().any(|line| line == *l))
        );
        Ok(())
    }

    #[test]
    fn merged_folds_add_cross_validation_file() -> Result<()> {
        let tmp = tempfile::tempdir().map_err(|e| Error::io("tempdir", e))?;
        let (gold, predicted) = intent_fixture();
        let merged = merge(vec![
            evaluate(&gold[..4], &predicted[..4])?,
            evaluate(&gold[4..], &predicted[4..])?,
        ]);
        let written = merged.write(tmp.path())?;
        assert!(names(&written).contains(&"cross_validation.json".to_owned()));
        let text = fs::read_to_string(tmp.path().join("cross_validation.json"))
            .map_err(|e| Error::io("cross_validation.json", e))?;
        let cv: serde_json::Value = serde_json::from_str(&text)?;
        assert_eq!(cv["folds"].as_array().map(Vec::len), Some(2));
        assert_eq!(cv["mean"]["intent_accuracy"], 0.625);
        Ok(())
    }

    #[test]
    fn extractor_file_names_are_safe_and_distinct() {
        assert_eq!(
            extractor_file("CRFEntityExtractor"),
            "CRFEntityExtractor_report.json"
        );
        assert_eq!(extractor_file("a/b c"), "a_b_c_report.json");
        assert_eq!(extractor_file("entity"), "extractor_entity_report.json");
    }
}
