//! Reads `stories:` and `rules:` from Rasa 3.x YAML files, as Rasa's `YAMLStoryReader`
//! does. Other top-level keys (`nlu`, `responses`, domain keys, `version`) belong to
//! other readers and are skipped. Problems become located diagnostics and reading goes on
//! after them; a step or item with an error is left out.

use super::model::{DialogueData, Rule, Step, Story};
use crate::data::yaml_value::{self, Source};
use crate::data::{Diagnostic, Location};
use crate::{Error, Result};
use saphyr::MarkedYaml;
use std::path::Path;
use std::sync::Arc;

/// Reads one YAML file. Only I/O failures are `Err`.
pub fn read(path: &Path) -> Result<(DialogueData, Vec<Diagnostic>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(parse(&text, path))
}

/// Parses YAML `text`; `path` names the file in diagnostics.
pub fn parse(text: &str, path: &Path) -> (DialogueData, Vec<Diagnostic>) {
    let file = Arc::new(path.to_path_buf());
    let mut reader = Reader {
        src: Source::new(text, file.clone()),
        diags: Vec::new(),
    };
    let mut data = DialogueData::default();
    match yaml_value::load(text, &file) {
        Ok(Some(root)) => reader.root(&root, &mut data),
        Ok(None) => {}
        Err(d) => reader.diags.push(d),
    }
    (data, reader.diags)
}

/// Whether the steps being read belong to a story, a rule or a rule's `condition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Story,
    Rule,
    Condition,
}

/// The reading state of one file: its source and the diagnostics so far.
pub(super) struct Reader<'a> {
    pub(super) src: Source<'a>,
    pub(super) diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    pub(super) fn error(&mut self, at: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(at, message));
    }

    pub(super) fn warning(&mut self, at: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(at, message));
    }

    fn root(&mut self, root: &MarkedYaml, data: &mut DialogueData) {
        if root.data.as_mapping().is_none() {
            return;
        }
        if let Some(stories) = root.data.as_mapping_get("stories") {
            for item in self.items(stories, "stories") {
                if let Some(story) = self.story(item) {
                    data.stories.push(story);
                }
            }
        }
        if let Some(rules) = root.data.as_mapping_get("rules") {
            for item in self.items(rules, "rules") {
                if let Some(rule) = self.rule(item) {
                    data.rules.push(rule);
                }
            }
        }
    }

    /// The entries of the list under `key` (empty for `key:` with nothing after it).
    fn items<'n>(&mut self, node: &'n MarkedYaml<'n>, key: &str) -> &'n [MarkedYaml<'n>] {
        if yaml_value::is_null(node) {
            return &[];
        }
        match node.data.as_vec() {
            Some(items) => items,
            None => {
                self.error(
                    self.src.at(node),
                    format!("`{key}` must be a list, not {}", yaml_value::kind(node)),
                );
                &[]
            }
        }
    }

    /// The non-empty, trimmed text of a scalar (a name or a message, trimmed as Rasa
    /// trims them); an error otherwise.
    pub(super) fn name(&mut self, node: &MarkedYaml, what: &str) -> Option<String> {
        let name = yaml_value::scalar_text(node).map(|n| n.trim().to_owned());
        match name {
            Some(n) if !n.is_empty() => Some(n),
            _ => {
                self.error(
                    self.src.at(node),
                    format!(
                        "{what} must be non-empty text, not {}",
                        yaml_value::kind(node)
                    ),
                );
                None
            }
        }
    }

    /// Checks an item's keys against `allowed` and returns the item's name (the value
    /// of `kind`) and the mapping.
    fn item_head(
        &mut self,
        item: &MarkedYaml,
        kind: &str,
        allowed: &[&str],
    ) -> Option<(String, Location)> {
        let at = self.src.at(item);
        let Some(map) = item.data.as_mapping() else {
            self.error(
                at,
                format!(
                    "each `{kind}` item must be a mapping with `{kind}` and `steps`, not {}",
                    yaml_value::kind(item)
                ),
            );
            return None;
        };
        for key in map.keys() {
            let k = yaml_value::scalar_text(key).unwrap_or_default();
            if !allowed.contains(&k.as_ref()) {
                let expected: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
                self.warning(
                    self.src.at(key),
                    format!(
                        "unknown key `{k}` in a {kind} is ignored; expected one of {}",
                        expected.join(", ")
                    ),
                );
            }
        }
        let Some(name_node) = item.data.as_mapping_get(kind) else {
            self.error(at, format!("a {kind} item needs a `{kind}:` name"));
            return None;
        };
        let name = self.name(name_node, &format!("`{kind}`"))?;
        Some((name, at))
    }

    fn story(&mut self, item: &MarkedYaml) -> Option<Story> {
        let (name, location) = self.item_head(item, "story", &["story", "steps", "metadata"])?;
        let steps = self.item_steps(item, "story", &name, &location, Context::Story);
        Some(Story {
            name,
            location,
            steps,
            metadata: item
                .data
                .as_mapping_get("metadata")
                .map(yaml_value::to_json),
        })
    }

    fn rule(&mut self, item: &MarkedYaml) -> Option<Rule> {
        let allowed = [
            "rule",
            "steps",
            "condition",
            "conversation_start",
            "wait_for_user_input",
            "metadata",
        ];
        let (name, location) = self.item_head(item, "rule", &allowed)?;
        let steps = self.item_steps(item, "rule", &name, &location, Context::Rule);
        let conditions = match item.data.as_mapping_get("condition") {
            Some(node) => {
                let nodes = self.items(node, "condition");
                self.steps(nodes, Context::Condition)
            }
            None => Vec::new(),
        };
        Some(Rule {
            name,
            location,
            conditions,
            steps,
            conversation_start: self.flag(item, "conversation_start", false),
            wait_for_user_input: self.flag(item, "wait_for_user_input", true),
            metadata: item
                .data
                .as_mapping_get("metadata")
                .map(yaml_value::to_json),
        })
    }

    /// The steps of a story or rule; a warning when there are none (Rasa skips such
    /// items with a warning too).
    fn item_steps(
        &mut self,
        item: &MarkedYaml,
        kind: &str,
        name: &str,
        at: &Location,
        context: Context,
    ) -> Vec<Step> {
        let steps = match item.data.as_mapping_get("steps") {
            Some(node) => {
                let nodes = self.items(node, "steps");
                self.steps(nodes, context)
            }
            None => Vec::new(),
        };
        if steps.is_empty() {
            self.warning(at.clone(), format!("{kind} `{name}` has no steps"));
        }
        steps
    }

    /// A boolean option of a rule; `default` when absent, an error when not a boolean.
    fn flag(&mut self, item: &MarkedYaml, key: &str, default: bool) -> bool {
        let Some(node) = item.data.as_mapping_get(key) else {
            return default;
        };
        match &node.data {
            saphyr::YamlData::Value(saphyr::Scalar::Boolean(b)) => *b,
            _ => {
                self.error(
                    self.src.at(node),
                    format!(
                        "`{key}` must be `true` or `false`, not {}",
                        yaml_value::kind(node)
                    ),
                );
                default
            }
        }
    }
}
