//! Helpers for this module's unit tests.

use super::model::DialogueData;
use super::reader;
use crate::data::{Diagnostic, Severity};
use std::path::Path;

/// Parses `yaml` as `stories.yml`, asserting it has no errors; warnings are returned.
pub(super) fn parse_ok(yaml: &str) -> (DialogueData, Vec<Diagnostic>) {
    let (data, diags) = reader::parse(yaml, Path::new("stories.yml"));
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    (data, diags)
}

/// The diagnostics of `yaml` as `(line, column, severity, message)`.
pub(super) fn diagnostics(yaml: &str) -> Vec<(usize, usize, Severity, String)> {
    reader::parse(yaml, Path::new("stories.yml"))
        .1
        .into_iter()
        .map(|d| (d.location.line, d.location.column, d.severity, d.message))
        .collect()
}
