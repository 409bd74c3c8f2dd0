//! The table of informal spellings and abbreviations (`vc` → `voce`), which curators edit
//! as YAML. Keys and values are folded, so the table matches with or without accents.

use super::fold;
use crate::data::Location;
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The default pt-BR table shipped with the engine.
pub const DEFAULT_PT_SLANG: &str = include_str!("../../resources/slang-pt.yml");

/// Maps folded informal tokens to their folded standard form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlangTable {
    map: HashMap<String, String>,
}

impl SlangTable {
    /// An empty table (no expansion).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The built-in pt-BR table.
    pub fn default_pt() -> Self {
        Self::parse(DEFAULT_PT_SLANG, Path::new("<built-in slang-pt.yml>"))
            .expect("the built-in slang table is valid YAML")
    }

    /// Reads a table from a YAML file of `informal: standard` pairs.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text, path)
    }

    /// Parses a YAML mapping of `informal: standard` pairs.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        use saphyr::{LoadableYamlNode, MarkedYaml};
        let file = Arc::new(path.to_path_buf());
        let docs = MarkedYaml::load_from_str(text).map_err(|e| Error::Syntax {
            location: Location::new(file.clone(), e.marker().line(), e.marker().col() + 1),
            message: e.info().to_owned(),
        })?;
        let mut map = HashMap::new();
        let Some(doc) = docs.first() else {
            return Ok(Self { map });
        };
        let at = |node: &MarkedYaml| {
            Location::new(
                file.clone(),
                node.span.start.line(),
                node.span.start.col() + 1,
            )
        };
        let Some(mapping) = doc.data.as_mapping() else {
            if doc.data.is_null() {
                return Ok(Self { map });
            }
            return Err(Error::Syntax {
                location: at(doc),
                message: "a slang table must be a mapping of `informal: standard` pairs".into(),
            });
        };
        for (k, v) in mapping {
            let (Some(key), Some(value)) = (scalar_text(k), scalar_text(v)) else {
                return Err(Error::Syntax {
                    location: at(k),
                    message: "each slang entry must map a word to its standard spelling".into(),
                });
            };
            map.insert(fold(key.trim()), fold(value.trim()));
        }
        Ok(Self { map })
    }

    /// Adds (or overrides) one entry.
    pub fn insert(&mut self, informal: &str, standard: &str) {
        self.map.insert(fold(informal), fold(standard));
    }

    /// The standard form of a folded token, if the table has one.
    pub fn expand(&self, folded_token: &str) -> Option<&str> {
        self.map.get(folded_token).map(String::as_str)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Entries sorted by key (for persistence and fingerprints).
    pub fn entries(&self) -> Vec<(String, String)> {
        let mut v: Vec<_> = self
            .map
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort();
        v
    }

    /// Builds a table from sorted entries (see [`SlangTable::entries`]).
    pub fn from_entries(entries: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            map: entries.into_iter().collect(),
        }
    }
}

fn scalar_text(node: &saphyr::MarkedYaml) -> Option<String> {
    use saphyr::{Scalar, YamlData};
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_expands_common_abbreviations() {
        let t = SlangTable::default_pt();
        assert_eq!(t.expand("vc"), Some("voce"));
        assert_eq!(t.expand("qto"), Some("quanto"));
        assert_eq!(t.expand("hj"), Some("hoje"));
        assert_eq!(t.expand("botox"), None);
    }

    #[test]
    fn bad_table_reports_location() {
        let err = SlangTable::parse("vc: voce\n- lista\n", Path::new("slang.yml")).unwrap_err();
        assert!(err.to_string().starts_with("slang.yml:"), "{err}");
    }
}
