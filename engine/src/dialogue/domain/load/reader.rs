//! Reading one domain file into its declarations, with typed, located helpers.

use super::super::{EntityDecl, Form, IntentDecl, ResponseVariation, SessionConfig, Slot};
use crate::data::yaml_value::{self, Source};
use crate::data::{Diagnostic, Location};
use crate::names::{ActionName, ResponseName};
use saphyr::{MarkedYaml, Scalar, YamlData};
use std::path::Path;
use std::sync::Arc;

/// The top-level keys of a domain file.
pub(super) const DOMAIN_KEYS: &[&str] = &[
    "intents",
    "entities",
    "slots",
    "responses",
    "actions",
    "forms",
    "session_config",
    "config",
    "e2e_actions",
];

/// Keys of other Rasa files that may share a file with domain keys.
const OTHER_KEYS: &[&str] = &["nlu", "stories", "rules", "version"];

/// What a reference found in a file points at, for the checks after merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RefKind {
    /// An entity, named by a slot mapping.
    MappingEntity,
    /// An entity, named by an intent's `use_entities` / `ignore_entities`.
    IntentEntity,
    /// An intent, named by a slot mapping.
    MappingIntent,
    /// An intent, named by a form's `ignored_intents`.
    FormIntent,
    /// A form, named by a mapping condition's `active_loop`.
    ConditionLoop,
    /// A slot, named by a mapping condition's `requested_slot`.
    ConditionSlot,
    /// A slot, named by a response condition.
    ResponseSlot,
    /// A slot required by the form named here.
    FormSlot(ActionName),
    /// An `utter_` action listed under `actions`.
    UtterAction,
}

/// A name used somewhere in the file, checked once the whole domain is known.
#[derive(Debug, Clone)]
pub(super) struct Reference {
    pub kind: RefKind,
    pub name: String,
    pub at: Location,
    /// Who refers (`slot \`time\``, `form \`booking_form\``), for the message.
    pub by: String,
}

/// The declarations of one file, each with where it is.
#[derive(Debug, Default)]
pub(super) struct FilePart {
    /// True when the file has a domain key (directories skip other files).
    pub is_domain: bool,
    /// A training data file: only its `responses` were read, and they replace the
    /// domain's of the same name (Rasa's `ResponsesSyncImporter` merges them so).
    pub is_training_data: bool,
    pub version: Option<String>,
    pub intents: Vec<(IntentDecl, Location)>,
    pub entities: Vec<(EntityDecl, Location)>,
    pub slots: Vec<(Slot, Location)>,
    pub responses: Vec<(ResponseName, Vec<ResponseVariation>, Location)>,
    pub actions: Vec<(ActionName, Location)>,
    pub forms: Vec<(ActionName, Form, Location)>,
    pub e2e_actions: Vec<String>,
    pub session_config: Option<(SessionConfig, Location)>,
    pub store_entities_as_slots: Option<bool>,
    pub refs: Vec<Reference>,
    pub diags: Vec<Diagnostic>,
}

/// Reads one domain file. Problems become diagnostics; reading goes on after them.
pub(super) fn read(text: &str, path: &Path) -> FilePart {
    let file = Arc::new(path.to_path_buf());
    let mut r = Reader {
        src: Source::new(text, file.clone()),
        part: FilePart::default(),
    };
    match yaml_value::load(text, &file) {
        Ok(Some(root)) => r.root(&root),
        Ok(None) => {}
        Err(d) => r.part.diags.push(d),
    }
    r.part
}

/// Reads the `responses` of a training data file (Rasa keeps retrieval responses such as
/// `utter_faq/ask_price` beside their NLU examples); its other keys are not the domain's.
pub(super) fn read_responses(text: &str, path: &Path) -> FilePart {
    let file = Arc::new(path.to_path_buf());
    let mut r = Reader {
        src: Source::new(text, file.clone()),
        part: FilePart {
            is_training_data: true,
            ..FilePart::default()
        },
    };
    // A top-level key starts a line; most training files (large NLU files) have none, and
    // need not be parsed twice.
    if !text.lines().any(|l| l.starts_with("responses")) {
        return r.part;
    }
    match yaml_value::load(text, &file) {
        Ok(Some(root)) => {
            let responses = root.data.as_mapping().and_then(|m| {
                m.iter()
                    .find(|(k, _)| yaml_value::as_str(k) == Some("responses"))
            });
            if let Some((_, value)) = responses {
                r.responses(value);
            }
        }
        Ok(None) => {}
        // The training data reader reports the file's syntax errors.
        Err(_) => {}
    }
    r.part
}

pub(super) struct Reader<'a> {
    pub src: Source<'a>,
    pub part: FilePart,
}

/// A named list item: the name and, in the long form, its key and properties nodes.
pub(super) type NamedItem<'n, 'a> = (String, Option<(&'n MarkedYaml<'a>, &'n MarkedYaml<'a>)>);

/// A mapping node's entries.
pub(super) type Map<'a> = saphyr::AnnotatedMapping<'a, MarkedYaml<'a>>;

impl<'a> Reader<'a> {
    fn root(&mut self, root: &MarkedYaml<'a>) {
        if yaml_value::is_null(root) {
            return;
        }
        let Some(map) = self.mapping(root, "a domain file") else {
            return;
        };
        self.part.is_domain = map
            .keys()
            .any(|k| yaml_value::as_str(k).is_some_and(|k| DOMAIN_KEYS.contains(&k)));
        for (key, value) in map {
            let name = yaml_value::scalar_text(key).unwrap_or_default();
            match name.as_ref() {
                "version" => self.version(value),
                "intents" => self.intents(value),
                "entities" => self.entities(value),
                "slots" => self.slots(value),
                "responses" => self.responses(value),
                "actions" => self.actions(value),
                "forms" => self.forms(value),
                "session_config" => self.session_config(value),
                "config" => self.config(value),
                "e2e_actions" => self.e2e_actions(value),
                other if OTHER_KEYS.contains(&other) => {}
                other => self.warning(
                    key,
                    format!(
                        "unknown top-level key `{other}` is ignored; domain keys are {}",
                        DOMAIN_KEYS.join(", ")
                    ),
                ),
            }
        }
    }

    /// `version`: a quoted string; a number is read with a warning (as the NLU reader).
    fn version(&mut self, value: &MarkedYaml<'a>) {
        if let Some(v) = yaml_value::as_str(value) {
            self.part.version = Some(v.to_owned());
            return;
        }
        let shown = yaml_value::scalar_text(value)
            .unwrap_or_default()
            .into_owned();
        self.warning(
            value,
            format!(
                "`version` should be a quoted string such as \"3.1\", not {} `{shown}`",
                yaml_value::kind(value)
            ),
        );
        self.part.version = (!shown.is_empty()).then_some(shown);
    }

    // ---- diagnostics ----

    pub fn error(&mut self, node: &MarkedYaml, message: impl Into<String>) {
        let at = self.src.at(node);
        self.part.diags.push(Diagnostic::error(at, message));
    }

    pub fn warning(&mut self, node: &MarkedYaml, message: impl Into<String>) {
        let at = self.src.at(node);
        self.part.diags.push(Diagnostic::warning(at, message));
    }

    /// Records a name to check once the whole domain is known.
    pub fn reference(&mut self, kind: RefKind, name: &str, node: &MarkedYaml, by: &str) {
        self.part.refs.push(Reference {
            kind,
            name: name.to_owned(),
            at: self.src.at(node),
            by: by.to_owned(),
        });
    }

    // ---- typed access; each reports a wrong type as a located error ----

    /// The node as a mapping; `None` (with an error) otherwise.
    pub fn mapping<'n>(&mut self, node: &'n MarkedYaml<'a>, what: &str) -> Option<&'n Map<'a>> {
        let map = node.data.as_mapping();
        if map.is_none() {
            self.error(
                node,
                format!("{what} must be a mapping, not {}", yaml_value::kind(node)),
            );
        }
        map
    }

    /// The node as a list; null is the empty list; `None` (with an error) otherwise.
    pub fn list<'n>(
        &mut self,
        node: &'n MarkedYaml<'a>,
        what: &str,
    ) -> Option<&'n [MarkedYaml<'a>]> {
        if yaml_value::is_null(node) {
            return Some(&[]);
        }
        let items = node.data.as_vec().map(Vec::as_slice);
        if items.is_none() {
            self.error(
                node,
                format!("{what} must be a list, not {}", yaml_value::kind(node)),
            );
        }
        items
    }

    /// The node as a string; `None` (with an error) otherwise.
    pub fn string(&mut self, node: &MarkedYaml, what: &str) -> Option<String> {
        let s = yaml_value::as_str(node).map(str::to_owned);
        if s.is_none() {
            self.error(
                node,
                format!("{what} must be a string, not {}", yaml_value::kind(node)),
            );
        }
        s
    }

    /// The node as a boolean; `None` (with an error) otherwise.
    pub fn boolean(&mut self, node: &MarkedYaml, what: &str) -> Option<bool> {
        match scalar(node) {
            Some(Scalar::Boolean(b)) => Some(*b),
            _ => {
                self.error(
                    node,
                    format!(
                        "{what} must be true or false, not {}",
                        yaml_value::kind(node)
                    ),
                );
                None
            }
        }
    }

    /// The node as a number; `None` (with an error) otherwise.
    pub fn number(&mut self, node: &MarkedYaml, what: &str) -> Option<f64> {
        match scalar(node) {
            Some(Scalar::Integer(i)) => Some(*i as f64),
            Some(Scalar::FloatingPoint(f)) => Some(f.into_inner()),
            _ => {
                self.error(
                    node,
                    format!("{what} must be a number, not {}", yaml_value::kind(node)),
                );
                None
            }
        }
    }

    /// A string or a list of strings (Rasa accepts both for intents of mappings and
    /// ignored intents), each with its node.
    pub fn names<'n>(
        &mut self,
        node: &'n MarkedYaml<'a>,
        what: &str,
    ) -> Vec<(String, &'n MarkedYaml<'a>)> {
        if let Some(s) = yaml_value::as_str(node) {
            return vec![(s.to_owned(), node)];
        }
        let Some(items) = self.list(node, what) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                self.string(item, &format!("an item of {what}"))
                    .map(|s| (s, item))
            })
            .collect()
    }

    /// Walks the entries of a mapping, warning about keys not in `known`; `visit`
    /// gets each known key's name, key node and value node.
    pub fn entries<'n>(
        &mut self,
        map: &'n Map<'a>,
        known: &[&str],
        what: &str,
        mut visit: impl FnMut(&mut Self, &str, &'n MarkedYaml<'a>, &'n MarkedYaml<'a>),
    ) {
        for (key, value) in map {
            let name = yaml_value::scalar_text(key).unwrap_or_default();
            if known.contains(&name.as_ref()) {
                visit(self, &name, key, value);
            } else {
                self.warning(
                    key,
                    format!(
                        "unknown key `{name}` in {what} is ignored; known keys: {}",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    /// A list item that is a name (`- greet`) or a one-key mapping from the name to
    /// its properties (`- greet: {use_entities: [...]}`): the name and, for the long
    /// form, the key and properties nodes. Anything else is an error.
    pub fn named_item<'n>(
        &mut self,
        item: &'n MarkedYaml<'a>,
        what: &str,
    ) -> Option<NamedItem<'n, 'a>> {
        if let Some(name) = yaml_value::as_str(item) {
            return Some((name.to_owned(), None));
        }
        let Some(map) = item.data.as_mapping() else {
            self.error(
                item,
                format!("{what} must be a name, not {}", yaml_value::kind(item)),
            );
            return None;
        };
        if map.len() != 1 {
            self.error(
                item,
                format!("{what} must be a name or a mapping with one key (the name), not a mapping with {} keys", map.len()),
            );
            return None;
        }
        let (key, value) = map.iter().next()?;
        let name = self.string(key, what)?;
        Some((name, Some((key, value))))
    }
}

fn scalar<'n>(node: &'n MarkedYaml) -> Option<&'n Scalar<'n>> {
    match &node.data {
        YamlData::Value(s) => Some(s),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}
