//! Scores the extractor on Duckling's corpus files (`<dim>_pt.json`: `{dimension,
//! reference_time, cases: [{text, expected}], negative_cases: [text]}`), with Duckling's
//! rule: a case passes when exactly one value of its dimension spans the whole text and
//! its JSON equals the expected one; a negative case passes when none is found.

use super::extract::extract;
use super::reference::{ReferenceTime, parse_instant, parse_zone};
use super::values::Dimension;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One corpus file.
#[derive(Debug, Clone, Deserialize)]
pub struct CorpusFile {
    /// Duckling's dimension name (`Time`, `Numeral`, `AmountOfMoney`...).
    pub dimension: String,
    /// RFC 3339 reference time; its offset is the zone values are given in.
    pub reference_time: String,
    /// Positive cases.
    pub cases: Vec<CorpusCase>,
    /// Texts in which nothing of the dimension may be found.
    #[serde(default)]
    pub negative_cases: Vec<String>,
}

/// One positive case.
#[derive(Debug, Clone, Deserialize)]
pub struct CorpusCase {
    /// The text.
    pub text: String,
    /// Duckling's JSON value.
    pub expected: Value,
}

/// A case that failed.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The text.
    pub text: String,
    /// What was expected (`null` for a negative case).
    pub expected: Value,
    /// What was found: `{start, end, value}` per value of the dimension.
    pub found: Vec<Value>,
}

/// The score of one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionScore {
    /// Duckling's dimension name.
    pub dimension: String,
    /// Whether Bela extracts it; unsupported dimensions are listed with no score.
    pub supported: bool,
    /// Positive cases.
    pub cases: usize,
    /// Positive cases passed.
    pub passed: usize,
    /// Negative cases.
    pub negative_cases: usize,
    /// Negative cases passed.
    pub negative_passed: usize,
    /// What failed.
    pub failures: Vec<Failure>,
}

impl DimensionScore {
    /// Share of positive cases passed, in [0, 1].
    pub fn pass_rate(&self) -> f64 {
        if self.cases == 0 {
            return 0.0;
        }
        self.passed as f64 / self.cases as f64
    }
}

/// Scores every `*.json` corpus file in `dir`, sorted by file name.
pub fn evaluate_dir(dir: &Path) -> Result<Vec<DimensionScore>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::InvalidInput(format!(
            "no corpus files (*.json) in {}",
            dir.display()
        )));
    }
    files.iter().map(|p| evaluate_path(p)).collect()
}

/// Scores one corpus file.
pub fn evaluate_path(path: &Path) -> Result<DimensionScore> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file: CorpusFile = serde_json::from_slice(&bytes)
        .map_err(|e| Error::InvalidInput(format!("{}: not a corpus file: {e}", path.display())))?;
    evaluate(&file)
}

/// Scores a corpus.
pub fn evaluate(file: &CorpusFile) -> Result<DimensionScore> {
    let mut score = DimensionScore {
        dimension: file.dimension.clone(),
        supported: false,
        cases: file.cases.len(),
        passed: 0,
        negative_cases: file.negative_cases.len(),
        negative_passed: 0,
        failures: Vec::new(),
    };
    let Some(dimension) = Dimension::parse(&file.dimension) else {
        return Ok(score);
    };
    score.supported = true;
    let reference = corpus_reference(&file.reference_time)?;
    let found = |text: &str| -> Vec<Value> {
        extract(text, &reference, &[dimension])
            .iter()
            .map(|e| serde_json::json!({"start": e.start, "end": e.end, "value": e.value.to_duckling_json()}))
            .collect()
    };
    for case in &file.cases {
        let got = found(&case.text);
        let whole = case.text.chars().count();
        let pass = got.len() == 1
            && got[0]["start"] == 0
            && got[0]["end"] == whole
            && json_eq(&got[0]["value"], &case.expected);
        if pass {
            score.passed += 1;
        } else {
            score.failures.push(Failure {
                text: case.text.clone(),
                expected: case.expected.clone(),
                found: got,
            });
        }
    }
    for text in &file.negative_cases {
        let got = found(text);
        if got.is_empty() {
            score.negative_passed += 1;
        } else {
            score.failures.push(Failure {
                text: text.clone(),
                expected: Value::Null,
                found: got,
            });
        }
    }
    Ok(score)
}

/// The corpus's reference: its instant, in a fixed zone of its own offset (Duckling's
/// test context is a fixed -02:00, not a named zone).
fn corpus_reference(text: &str) -> Result<ReferenceTime> {
    let instant = parse_instant(text)?;
    let offset = text.get(text.len().saturating_sub(6)..).unwrap_or("Z");
    let zone = if text.ends_with('Z') {
        jiff::tz::TimeZone::UTC
    } else {
        parse_zone(offset)?
    };
    Ok(ReferenceTime::new(instant.to_zoned(zone)))
}

/// JSON equality with numbers compared by value (`2` equals `2.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-9,
            _ => false,
        },
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_eq(v, w))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_positive_and_negative_cases() -> Result<()> {
        let file: CorpusFile = serde_json::from_value(serde_json::json!({
            "dimension": "Numeral",
            "reference_time": "2013-02-12T04:30:00.000-02:00",
            "cases": [
                {"text": "vinte e cinco", "expected": {"type": "value", "value": 25}},
                {"text": "1,5", "expected": {"type": "value", "value": 1.5}},
                {"text": "dois", "expected": {"type": "value", "value": 3}}
            ],
            "negative_cases": ["nada aqui"]
        }))?;
        let score = evaluate(&file)?;
        assert!(score.supported);
        assert_eq!((score.passed, score.cases), (2, 3));
        assert_eq!((score.negative_passed, score.negative_cases), (1, 1));
        assert_eq!(score.failures.len(), 1);
        assert_eq!(score.failures[0].text, "dois");
        Ok(())
    }

    #[test]
    fn unknown_dimensions_are_listed_unscored() -> Result<()> {
        let file: CorpusFile = serde_json::from_value(serde_json::json!({
            "dimension": "Temperature",
            "reference_time": "2013-02-12T04:30:00.000-02:00",
            "cases": [{"text": "37°C", "expected": {"type": "value", "value": 37}}]
        }))?;
        let score = evaluate(&file)?;
        assert!(!score.supported);
        assert_eq!(score.passed, 0);
        Ok(())
    }
}
