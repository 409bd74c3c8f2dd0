//! Reads a Rasa `config.yml` into a [`PipelineConfig`].
//!
//! Rasa components with a Bela counterpart pass on the options that carry over
//! (`DIETClassifier` epochs, `FallbackClassifier` thresholds...); Bela's own components
//! (`BelaTextNormalizer`, `BelaIntentClassifier`, `BelaEntityTagger`, `BelaEncoder`) take
//! their options straight into the config structs. Anything else is accepted with a
//! warning, since Rasa projects often list components Bela replaces or custom ones.

use crate::config::PipelineConfig;
use crate::data::yaml_value::{self, Source};
use crate::data::{Diagnostic, Location, Severity};
use crate::{Error, Result};
use saphyr::MarkedYaml;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::Arc;

/// Rasa components whose work Bela's built-in pipeline does.
const RASA_COMPONENTS: &[&str] = &[
    "WhitespaceTokenizer",
    "JiebaTokenizer",
    "MitieTokenizer",
    "SpacyTokenizer",
    "ConveRTTokenizer",
    "LanguageModelTokenizer",
    "HFTransformersNLP",
    "MitieNLP",
    "SpacyNLP",
    "RegexFeaturizer",
    "LexicalSyntacticFeaturizer",
    "CountVectorsFeaturizer",
    "ConveRTFeaturizer",
    "MitieFeaturizer",
    "SpacyFeaturizer",
    "EntitySynonymMapper",
    "RegexEntityExtractor",
    "SpacyEntityExtractor",
    "MitieEntityExtractor",
    "ResponseSelector",
    "KeywordIntentClassifier",
    "SklearnIntentClassifier",
    "MitieIntentClassifier",
    "LogisticRegressionClassifier",
];

/// Top-level keys of a Rasa config that the NLU pipeline does not use.
const IGNORED_KEYS: &[&str] = &["version", "assistant_id", "policies", "spaces"];

/// The part of [`PipelineConfig`] a component's options go to.
#[derive(Clone, Copy)]
enum Part {
    Text,
    Intent,
    Entities,
    Fallback,
    Builtin,
}

/// Rasa options that carry over, per component: `(rasa option, part, Bela field)`.
fn mapped_options(component: &str) -> Option<&'static [(&'static str, Part, &'static str)]> {
    Some(match component {
        "DIETClassifier" | "EmbeddingIntentClassifier" => &[
            ("epochs", Part::Intent, "epochs"),
            ("random_seed", Part::Intent, "seed"),
        ],
        "CRFEntityExtractor" => &[("max_iterations", Part::Entities, "epochs")],
        _ => return None,
    })
}

impl PipelineConfig {
    /// Reads a Rasa-style `config.yml`; a missing file gives the defaults.
    ///
    /// The diagnostics returned are warnings (ignored components and options). Any
    /// error, such as a bad option of a Bela component, fails with
    /// [`Error::InvalidConfig`] listing every problem; bad YAML with [`Error::Syntax`].
    pub fn load(path: &Path) -> Result<(PipelineConfig, Vec<Diagnostic>)> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Self::default(), Vec::new())),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Parses the text of a `config.yml`; `path` names it in diagnostics and anchors
    /// relative model paths.
    pub fn parse(text: &str, path: &Path) -> Result<(PipelineConfig, Vec<Diagnostic>)> {
        let file = Arc::new(path.to_path_buf());
        let root = yaml_value::load(text, &file).map_err(|d| Error::Syntax {
            location: d.location,
            message: d.message,
        })?;
        let mut reader = ConfigReader {
            src: Source::new(text, file),
            dir: path.parent().unwrap_or(Path::new("")),
            config: PipelineConfig::default(),
            diags: Vec::new(),
        };
        if let Some(root) = &root {
            reader.root(root);
        }
        if reader.diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(Error::InvalidConfig(reader.diags));
        }
        Ok((reader.config, reader.diags))
    }
}

struct ConfigReader<'a> {
    src: Source<'a>,
    dir: &'a Path,
    config: PipelineConfig,
    diags: Vec<Diagnostic>,
}

impl ConfigReader<'_> {
    fn warning(&mut self, at: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(at, message));
    }

    fn error(&mut self, at: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(at, message));
    }

    fn root(&mut self, root: &MarkedYaml) {
        let Some(map) = root.data.as_mapping() else {
            if !yaml_value::is_null(root) {
                self.error(
                    self.src.at(root),
                    "a config file must be a mapping (`language:`, `pipeline:`...)",
                );
            }
            return;
        };
        for (key, value) in map {
            let name = yaml_value::scalar_text(key).unwrap_or_default();
            match name.as_ref() {
                "language" => self.language(value),
                "pipeline" => self.pipeline(value),
                "recipe" => {
                    if yaml_value::as_str(value) != Some("default.v1") {
                        let shown = yaml_value::scalar_text(value).unwrap_or_default();
                        self.warning(self.src.at(value), format!("recipe `{shown}` is not supported; Bela reads the pipeline as `default.v1` does"));
                    }
                }
                k if IGNORED_KEYS.contains(&k) => {}
                other => self.warning(
                    self.src.at(key),
                    format!("unknown top-level key `{other}` is ignored"),
                ),
            }
        }
    }

    /// `language`: a code such as `pt`, `pt-BR` or `en`; the region is dropped.
    fn language(&mut self, value: &MarkedYaml) {
        let at = self.src.at(value);
        let Some(code) = yaml_value::as_str(value) else {
            self.error(
                at,
                format!(
                    "`language` must be a language code such as `pt`, not {}",
                    yaml_value::kind(value)
                ),
            );
            return;
        };
        let base = code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .trim()
            .to_ascii_lowercase();
        // `br` (Breton) is a common slip for Brazilian Portuguese in Rasa projects.
        if base == "br" {
            self.warning(at, "language `br` is read as Portuguese (`pt`)");
            self.config.language = "pt".into();
        } else {
            self.config.language = base;
        }
    }

    fn pipeline(&mut self, value: &MarkedYaml) {
        if yaml_value::is_null(value) {
            return;
        }
        let Some(items) = value.data.as_vec() else {
            self.error(
                self.src.at(value),
                format!(
                    "`pipeline` must be a list of components, not {}",
                    yaml_value::kind(value)
                ),
            );
            return;
        };
        for item in items {
            self.component(item);
        }
    }

    fn component(&mut self, item: &MarkedYaml) {
        let at = self.src.at(item);
        let Some(map) = item.data.as_mapping() else {
            self.error(
                at,
                format!(
                    "a pipeline component must be a mapping with `name`, not {}",
                    yaml_value::kind(item)
                ),
            );
            return;
        };
        let mut name = None;
        let mut options = Vec::new();
        for (key, value) in map {
            match yaml_value::scalar_text(key).unwrap_or_default().as_ref() {
                "name" => name = yaml_value::as_str(value),
                other => options.push((other.to_owned(), key, value)),
            }
        }
        let Some(full_name) = name else {
            self.error(at, "a pipeline component needs a `name`");
            return;
        };
        // Rasa also accepts module paths (`rasa.nlu...WhitespaceTokenizer`).
        let short = full_name.rsplit('.').next().unwrap_or(full_name);
        match short {
            "BelaTextNormalizer" => self.own_options(Part::Text, &options),
            "BelaIntentClassifier" => self.own_options(Part::Intent, &options),
            "BelaEntityTagger" => self.own_options(Part::Entities, &options),
            "FallbackClassifier" => self.own_options(Part::Fallback, &options),
            "BelaEncoder" => self.encoder(at, &options),
            "BelaDucklingExtractor" => self.duckling(&options, false),
            "DucklingEntityExtractor" | "DucklingHTTPExtractor" => self.duckling(&options, true),
            "LanguageModelFeaturizer" => self.language_model(at, &options),
            c if mapped_options(c).is_some() => self.mapped(c, at, &options),
            // Bela runs exactly these; nothing to say unless options would be ignored.
            "RegexEntityExtractor" | "EntitySynonymMapper" if options.is_empty() => {}
            c if RASA_COMPONENTS.contains(&c) => self.warning(
                at,
                format!("`{c}` is a Rasa component; Bela uses its built-in equivalent and ignores its options"),
            ),
            _ => self.warning(
                at,
                format!("unknown component `{full_name}` is ignored; custom Rasa components do not run in Bela"),
            ),
        }
    }

    /// Options of a component whose options are Bela's own fields.
    fn own_options(&mut self, part: Part, options: &[(String, &MarkedYaml, &MarkedYaml)]) {
        for (name, key, value) in options {
            if let Err(e) = self.set(part, name, yaml_value::to_json(value)) {
                self.error(self.src.at(key), format!("invalid option `{name}`: {e}"));
            }
        }
    }

    /// A Rasa component some of whose options carry over.
    fn mapped(
        &mut self,
        component: &str,
        at: Location,
        options: &[(String, &MarkedYaml, &MarkedYaml)],
    ) {
        let table = mapped_options(component).unwrap_or_default();
        let mut ignored = Vec::new();
        for (name, key, value) in options {
            match table.iter().find(|(rasa, _, _)| *rasa == name.as_str()) {
                Some(&(_, part, field)) => {
                    if let Err(e) = self.set(part, field, yaml_value::to_json(value)) {
                        self.error(
                            self.src.at(key),
                            format!("invalid option `{name}` of `{component}`: {e}"),
                        );
                    }
                }
                None => ignored.push(format!("`{name}`")),
            }
        }
        if !ignored.is_empty() {
            self.warning(
                at,
                format!(
                    "options {} of `{component}` have no Bela equivalent and are ignored",
                    ignored.join(", ")
                ),
            );
        }
    }

    /// `BelaDucklingExtractor` (its own options) or Rasa's `DucklingEntityExtractor`
    /// (`dimensions`, `timezone` and `locale` carry over; `url` is pointless, since no
    /// server is needed). Listing either turns the built-in extractor on.
    fn duckling(&mut self, options: &[(String, &MarkedYaml, &MarkedYaml)], rasa: bool) {
        self.config.builtin.enabled = Some(true);
        let component = if rasa {
            "DucklingEntityExtractor"
        } else {
            "BelaDucklingExtractor"
        };
        for (name, key, value) in options {
            let at_key = self.src.at(key);
            match name.as_str() {
                "url" if rasa => self.warning(
                    at_key,
                    format!("`url` of `{component}` is ignored: Bela extracts dates and numbers itself, no Duckling server is needed"),
                ),
                "locale" if rasa => {
                    let locale = yaml_value::scalar_text(value).unwrap_or_default();
                    if !locale.to_ascii_lowercase().starts_with("pt") {
                        self.warning(
                            at_key,
                            format!("locale `{locale}` of `{component}`: Bela's built-in grammar is Brazilian Portuguese"),
                        );
                    }
                }
                "dimensions" | "timezone" => self.builtin_option(component, name, key, value),
                _ if rasa => self.warning(
                    at_key,
                    format!("option `{name}` of `{component}` has no Bela equivalent and is ignored"),
                ),
                _ => self.builtin_option(component, name, key, value),
            }
        }
    }

    /// One option of the built-in extractor; a time zone must be known.
    fn builtin_option(
        &mut self,
        component: &str,
        name: &str,
        key: &MarkedYaml,
        value: &MarkedYaml,
    ) {
        if let Err(e) = self.set(Part::Builtin, name, yaml_value::to_json(value)) {
            self.error(
                self.src.at(key),
                format!("invalid option `{name}` of `{component}`: {e}"),
            );
        } else if name == "timezone"
            && let Err(e) =
                crate::nlu::builtin::reference::parse_zone(&self.config.builtin.timezone)
        {
            self.error(self.src.at(value), e.to_string());
        }
    }

    /// `BelaEncoder`: the options of [`crate::config::EncoderConfig`].
    fn encoder(&mut self, at: Location, options: &[(String, &MarkedYaml, &MarkedYaml)]) {
        let map: Map<String, Value> = options
            .iter()
            .map(|(n, _, v)| (n.clone(), yaml_value::to_json(v)))
            .collect();
        match serde_json::from_value(Value::Object(map)) {
            Ok(encoder) => self.config.encoder = Some(encoder),
            Err(e) => self.error(at, format!("invalid options of `BelaEncoder`: {e}")),
        }
    }

    /// `LanguageModelFeaturizer`: used as the encoder when `model_weights` (or
    /// `model_name`) is a local directory; hub names cannot be downloaded.
    fn language_model(&mut self, at: Location, options: &[(String, &MarkedYaml, &MarkedYaml)]) {
        let weights = ["model_weights", "model_name"].iter().find_map(|wanted| {
            options
                .iter()
                .find(|(n, _, _)| n == wanted)
                .and_then(|(_, _, v)| yaml_value::as_str(v))
        });
        let Some(weights) = weights.filter(|w| self.dir.join(w).is_dir()) else {
            let shown = weights.map_or_else(
                || "the default (`rasa/LaBSE`)".to_owned(),
                |w| format!("`{w}`"),
            );
            self.warning(
                at,
                format!("`LanguageModelFeaturizer` is ignored: its model {shown} is not a local directory, and Bela only loads local encoders (see `BelaEncoder`)"),
            );
            return;
        };
        let mut encoder = Map::new();
        encoder.insert("model_path".into(), Value::from(weights));
        match serde_json::from_value(Value::Object(encoder)) {
            Ok(e) => self.config.encoder = Some(e),
            Err(e) => self.error(at, format!("invalid `LanguageModelFeaturizer` model: {e}")),
        }
    }

    /// Sets `field` of `part` to `value` through serde, so the config structs (which
    /// other modules extend) are never listed by hand here.
    fn set(
        &mut self,
        part: Part,
        field: &str,
        value: Value,
    ) -> std::result::Result<(), serde_json::Error> {
        let c = &mut self.config;
        match part {
            Part::Text => c.text = overlay(&c.text, field, value)?,
            Part::Intent => c.intent = overlay(&c.intent, field, value)?,
            Part::Entities => c.entities = overlay(&c.entities, field, value)?,
            Part::Fallback => c.fallback = overlay(&c.fallback, field, value)?,
            Part::Builtin => c.builtin = overlay(&c.builtin, field, value)?,
        }
        Ok(())
    }
}

/// `current` with `field` replaced by `value`, checked by deserializing (the structs
/// deny unknown fields, so a misspelt option is an error).
fn overlay<T: Serialize + DeserializeOwned>(
    current: &T,
    field: &str,
    value: Value,
) -> std::result::Result<T, serde_json::Error> {
    let mut json = serde_json::to_value(current)?;
    if let Value::Object(map) = &mut json {
        map.insert(field.to_owned(), value);
    }
    serde_json::from_value(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::EncoderConfig;

    fn parse(text: &str) -> Result<(PipelineConfig, Vec<Diagnostic>)> {
        PipelineConfig::parse(text, Path::new("config.yml"))
    }

    #[test]
    fn maps_a_typical_rasa_config() -> Result<()> {
        let (config, diags) = parse(
            r#"recipe: default.v1
language: pt-BR
assistant_id: 20230606-041623-synchronic-underpass
pipeline:
- name: WhitespaceTokenizer
- name: CountVectorsFeaturizer
  analyzer: char_wb
- name: DIETClassifier
  epochs: 80
  random_seed: 7
  constrain_similarities: true
- name: CRFEntityExtractor
  max_iterations: 30
- name: FallbackClassifier
  threshold: 0.7
  ambiguity_threshold: 0.2
- name: my_module.CustomThing
policies:
- name: RulePolicy
"#,
        )?;
        assert_eq!(config.language, "pt");
        assert_eq!((config.intent.epochs, config.intent.seed), (80, 7));
        assert_eq!(config.entities.epochs, 30);
        assert_eq!(
            (
                config.fallback.threshold,
                config.fallback.ambiguity_threshold
            ),
            (0.7, 0.2)
        );
        let got: Vec<(usize, &str)> = diags
            .iter()
            .map(|d| (d.location.line, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    5,
                    "`WhitespaceTokenizer` is a Rasa component; Bela uses its built-in equivalent and ignores its options"
                ),
                (
                    6,
                    "`CountVectorsFeaturizer` is a Rasa component; Bela uses its built-in equivalent and ignores its options"
                ),
                (
                    8,
                    "options `constrain_similarities` of `DIETClassifier` have no Bela equivalent and are ignored"
                ),
                (
                    17,
                    "unknown component `my_module.CustomThing` is ignored; custom Rasa components do not run in Bela"
                ),
            ]
        );
        assert!(diags.iter().all(|d| d.severity == Severity::Warning));
        Ok(())
    }

    #[test]
    fn bela_components_deserialize_their_options() -> Result<()> {
        let (config, diags) = parse(
            "language: br\npipeline:\n- name: BelaTextNormalizer\n  slang: giria.yml\n- name: BelaIntentClassifier\n  epochs: 5\n- name: BelaEncoder\n  model_path: models/bert\n  max_length: 32\n",
        )?;
        assert_eq!(config.language, "pt");
        assert_eq!(diags.len(), 1);
        assert_eq!(config.text.slang.as_deref(), Some(Path::new("giria.yml")));
        assert_eq!(config.intent.epochs, 5);
        let encoder = config
            .encoder
            .as_ref()
            .map(|e: &EncoderConfig| (e.model_path.clone(), e.max_length));
        assert_eq!(encoder, Some(("models/bert".into(), 32)));
        Ok(())
    }

    #[test]
    fn bad_options_are_located_errors() {
        let err = parse(
            "pipeline:\n- name: BelaIntentClassifier\n  epoch: 5\n- name: DIETClassifier\n  epochs: many\n- name: BelaEncoder\n  max_length: 3\n- threshold: 1\n",
        )
        .expect_err("invalid");
        let Error::InvalidConfig(diags) = err else {
            panic!("expected InvalidConfig, got {err}");
        };
        let got: Vec<(usize, usize)> = diags
            .iter()
            .map(|d| (d.location.line, d.location.column))
            .collect();
        assert_eq!(got, [(3, 3), (5, 3), (6, 3), (8, 3)]);
        assert!(
            diags[0]
                .message
                .starts_with("invalid option `epoch`: unknown field `epoch`"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[1]
                .message
                .starts_with("invalid option `epochs` of `DIETClassifier`: invalid type"),
            "{}",
            diags[1].message
        );
        assert!(
            diags[2].message.contains("missing field `model_path`"),
            "{}",
            diags[2].message
        );
        assert_eq!(diags[3].message, "a pipeline component needs a `name`");
    }

    #[test]
    fn language_model_featurizer_needs_a_local_directory() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        std::fs::create_dir_all(dir.path().join("labse")).map_err(|e| Error::io("mkdir", e))?;
        let path = dir.path().join("config.yml");
        let text = "pipeline:\n- name: LanguageModelFeaturizer\n  model_name: bert\n  model_weights: labse\n";
        let (config, diags) = PipelineConfig::parse(text, &path)?;
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.encoder.map(|e| e.model_path), Some("labse".into()));
        let (config, diags) =
            parse("pipeline:\n- name: LanguageModelFeaturizer\n  model_weights: rasa/LaBSE\n")?;
        assert!(config.encoder.is_none());
        assert!(
            diags[0]
                .message
                .contains("`rasa/LaBSE` is not a local directory"),
            "{}",
            diags[0].message
        );
        Ok(())
    }

    #[test]
    fn missing_or_empty_file_gives_defaults() -> Result<()> {
        let (config, diags) = PipelineConfig::load(Path::new("/nonexistent/config.yml"))?;
        assert_eq!(config, PipelineConfig::default());
        assert!(diags.is_empty());
        let (config, _) = parse("")?;
        assert_eq!(config, PipelineConfig::default());
        assert!(matches!(parse("pipeline: [\n"), Err(Error::Syntax { .. })));
        Ok(())
    }

    #[test]
    fn rasa_duckling_maps_onto_the_builtin_extractor() -> Result<()> {
        use crate::nlu::builtin::Dimension;
        let (config, diags) = parse(
            r#"language: en
pipeline:
- name: DucklingEntityExtractor
  url: http://localhost:8000
  dimensions: [time, number, amount-of-money]
  timezone: America/Manaus
  locale: en_US
  timeout: 3
"#,
        )?;
        assert_eq!(config.builtin.enabled, Some(true));
        assert!(config.builtin.is_enabled("en"));
        assert_eq!(
            config.builtin.dimensions,
            [Dimension::Time, Dimension::Number, Dimension::AmountOfMoney]
        );
        assert_eq!(config.builtin.timezone, "America/Manaus");
        let got: Vec<(usize, bool)> = diags
            .iter()
            .map(|d| {
                (
                    d.location.line,
                    d.message.contains("ignored") || d.message.contains("Portuguese"),
                )
            })
            .collect();
        assert_eq!(got, [(4, true), (7, true), (8, true)]);
        Ok(())
    }

    #[test]
    fn bela_duckling_options_are_checked() -> Result<()> {
        let (config, _) = parse("pipeline:\n- name: BelaDucklingExtractor\n  enabled: false\n")?;
        assert!(!config.builtin.is_enabled("pt"));
        for (text, line) in [
            (
                "pipeline:\n- name: BelaDucklingExtractor\n  timezone: Lua/Crateras\n",
                3,
            ),
            (
                "pipeline:\n- name: BelaDucklingExtractor\n  dimensions: [tempo]\n",
                3,
            ),
            ("pipeline:\n- name: BelaDucklingExtractor\n  url: x\n", 3),
        ] {
            match parse(text) {
                Err(Error::InvalidConfig(d)) => assert_eq!(d[0].location.line, line, "{text}"),
                other => panic!("{text}: expected a located error, got {other:?}"),
            }
        }
        Ok(())
    }
}
