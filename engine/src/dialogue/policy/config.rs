//! The `policies:` section of `config.yml`. Rasa's policy names are read; Bela's policies
//! stand in for them (rules and memoization as in Rasa; the back-off memoization for the
//! learned TEDPolicy), and options Bela does not use are reported.

use crate::data::yaml_value::{self, Source};
use crate::data::{Diagnostic, Severity};
use crate::dialogue::model::PolicySettings;
use crate::{Error, Result};
use saphyr::MarkedYaml;
use std::path::Path;
use std::sync::Arc;

/// Policies whose work Bela's ensemble does as Rasa does.
const NATIVE: &[&str] = &[
    "RulePolicy",
    "MemoizationPolicy",
    "AugmentedMemoizationPolicy",
];
/// Learned policies the back-off memoization replaces.
const REPLACED: &[&str] = &["TEDPolicy", "UnexpecTEDIntentPolicy"];

impl PolicySettings {
    /// Reads the `policies:` of the config file at `path` (defaults when the file or the
    /// section is absent). Diagnostics are warnings; malformed values are errors.
    pub fn load(path: &Path) -> Result<(Self, Vec<Diagnostic>)> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Self::default(), Vec::new()));
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        Self::parse(&text, path)
    }

    /// Parses the `policies:` of a config file's text.
    pub fn parse(text: &str, path: &Path) -> Result<(Self, Vec<Diagnostic>)> {
        let file = Arc::new(path.to_path_buf());
        let root = yaml_value::load(text, &file).map_err(|d| Error::Syntax {
            location: d.location,
            message: d.message,
        })?;
        let src = Source::new(text, file);
        let mut settings = Self::default();
        let mut diags = Vec::new();
        let policies = root
            .as_ref()
            .and_then(|r| r.data.as_mapping())
            .and_then(|m| {
                m.iter()
                    .find(|(k, _)| yaml_value::as_str(k) == Some("policies"))
            })
            .map(|(_, v)| v);
        if let Some(policies) = policies.filter(|p| !yaml_value::is_null(p)) {
            match policies.data.as_vec() {
                Some(items) => {
                    for item in items {
                        read_policy(&src, item, &mut settings, &mut diags);
                    }
                }
                None => diags.push(Diagnostic::error(
                    src.at(policies),
                    format!(
                        "`policies` must be a list, not {}",
                        yaml_value::kind(policies)
                    ),
                )),
            }
        }
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(Error::InvalidConfig(diags));
        }
        Ok((settings, diags))
    }
}

fn read_policy(
    src: &Source<'_>,
    item: &MarkedYaml,
    settings: &mut PolicySettings,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(map) = item.data.as_mapping() else {
        diags.push(Diagnostic::error(
            src.at(item),
            "a policy must be a mapping with a `name`",
        ));
        return;
    };
    let name = map
        .iter()
        .find(|(k, _)| yaml_value::as_str(k) == Some("name"))
        .and_then(|(_, v)| yaml_value::as_str(v));
    let Some(name) = name else {
        diags.push(Diagnostic::error(src.at(item), "a policy needs a `name`"));
        return;
    };
    let short = name.rsplit('.').next().unwrap_or(name);
    if REPLACED.contains(&short) {
        diags.push(Diagnostic::warning(
            src.at(item),
            format!("{short} is replaced by Bela's back-off memoization, which needs no options"),
        ));
        return;
    }
    if !NATIVE.contains(&short) {
        diags.push(Diagnostic::warning(
            src.at(item),
            format!("unknown policy `{name}` is ignored"),
        ));
        return;
    }
    for (key, value) in map {
        match yaml_value::as_str(key).unwrap_or_default() {
            "name" | "priority" => {}
            "max_history" if short != "RulePolicy" => match value.data.as_integer() {
                Some(n) if n > 0 => settings.max_history = n as usize,
                _ if yaml_value::is_null(value) => {}
                _ => diags.push(Diagnostic::error(
                    src.at(value),
                    "`max_history` must be a positive whole number",
                )),
            },
            other => diags.push(Diagnostic::warning(
                src.at(key),
                format!("option `{other}` of {short} is not used by Bela"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_max_history_and_reports_the_rest() -> Result<()> {
        let text = "policies:\n- name: MemoizationPolicy\n  max_history: 3\n- name: TEDPolicy\n  epochs: 100\n- name: RulePolicy\n  core_fallback_threshold: 0.4\n";
        let (settings, diags) = PolicySettings::parse(text, Path::new("config.yml"))?;
        assert_eq!(settings.max_history, 3);
        let lines: Vec<usize> = diags.iter().map(|d| d.location.line).collect();
        assert_eq!(lines, [4, 7]);
        Ok(())
    }

    #[test]
    fn bad_values_are_located_errors() {
        let text = "policies:\n- name: MemoizationPolicy\n  max_history: lots\n";
        let Err(Error::InvalidConfig(diags)) = PolicySettings::parse(text, Path::new("config.yml"))
        else {
            panic!("expected an error");
        };
        assert_eq!((diags[0].location.line, diags[0].location.column), (3, 16));
    }

    #[test]
    fn no_section_gives_defaults() -> Result<()> {
        let (settings, diags) =
            PolicySettings::parse("language: pt\npolicies: []\n", Path::new("c.yml"))?;
        assert_eq!(settings, PolicySettings::default());
        assert!(diags.is_empty());
        Ok(())
    }
}
