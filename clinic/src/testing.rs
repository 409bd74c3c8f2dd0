//! Fixtures shared by the unit tests: a small clinic and catalogue.

use crate::{Catalogue, ClinicConfig, ClinicData};
use std::path::Path;

pub(crate) const CONFIG: &str = include_str!("fixtures/clinic.yml");
pub(crate) const CATALOGUE: &str = include_str!("fixtures/catalogue.yml");

/// The fixture clinic, checked.
pub(crate) fn data() -> ClinicData {
    match ClinicData::parse(
        CONFIG,
        Path::new("clinic.yml"),
        CATALOGUE,
        Path::new("catalogue.yml"),
    ) {
        Ok(data) => data,
        Err(diags) => panic!("fixture does not load: {diags:#?}"),
    }
}

/// The fixture configuration.
pub(crate) fn config() -> ClinicConfig {
    data().config
}

/// The fixture catalogue.
pub(crate) fn catalogue() -> Catalogue {
    data().catalogue
}

/// The messages of a failed load of `config` (with the fixture catalogue).
pub(crate) fn config_errors(config: &str) -> Vec<String> {
    match ClinicData::parse(
        config,
        Path::new("clinic.yml"),
        CATALOGUE,
        Path::new("catalogue.yml"),
    ) {
        Ok(_) => Vec::new(),
        Err(diags) => diags.iter().map(ToString::to_string).collect(),
    }
}

/// The messages of a failed load of `catalogue` (with the fixture configuration).
pub(crate) fn catalogue_errors(catalogue: &str) -> Vec<String> {
    match ClinicData::parse(
        CONFIG,
        Path::new("clinic.yml"),
        catalogue,
        Path::new("catalogue.yml"),
    ) {
        Ok(_) => Vec::new(),
        Err(diags) => diags.iter().map(ToString::to_string).collect(),
    }
}

/// The fixture `text` with `from` replaced by `to` (which must be there).
pub(crate) fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "fixture has no `{from}`");
    text.replacen(from, to, 1)
}

/// Asserts that `errors` are as many as `expected` and that each expected text is in one.
pub(crate) fn assert_errors(errors: &[String], expected: &[&str]) {
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for e in expected {
        assert!(
            errors.iter().any(|x| x.contains(e)),
            "no `{e}` in {errors:#?}"
        );
    }
}
