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
    // Items are read key by key; report in file order.
    reader
        .diags
        .sort_by_key(|d| (d.location.line, d.location.column));
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
    fn items<'n, 'i>(&mut self, node: &'n MarkedYaml<'i>, key: &str) -> &'n [MarkedYaml<'i>] {
        if yaml_value::is_null(node) {
            return &[];
        }
        self.list(node, key, "a list").unwrap_or_default()
    }

    /// The entries of the list `node` (the value of `key`); an error saying it must be
    /// `what` when it is not a list.
    pub(super) fn list<'n, 'i>(
        &mut self,
        node: &'n MarkedYaml<'i>,
        key: &str,
        what: &str,
    ) -> Option<&'n [MarkedYaml<'i>]> {
        let items = node.data.as_vec().map(Vec::as_slice);
        if items.is_none() {
            self.error(
                self.src.at(node),
                format!("`{key}` must be {what}, not {}", yaml_value::kind(node)),
            );
        }
        items
    }

    /// The non-empty, trimmed text of a scalar (a name or a message, trimmed as Rasa
    /// trims them); an error otherwise.
    pub(super) fn name(&mut self, node: &MarkedYaml, what: &str) -> Option<String> {
        let name = yaml_value::scalar_text(node).map(|n| n.trim().to_owned());
        match name {
            Some(n) if !n.is_empty() => Some(n),
            Some(_) => {
                self.error(self.src.at(node), format!("{what} must not be empty"));
                None
            }
            None => {
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

    /// Warns about an item's keys outside `allowed` and returns the item's name (the
    /// value of `kind`) and where the item starts.
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

#[cfg(test)]
mod tests {
    use super::super::model::{Alternative, SlotValue, Step};
    use super::super::test_support::{diagnostics, parse_ok};
    use crate::data::Severity;
    use serde_json::json;

    const STORY: &str = r#"version: "3.1"
nlu:
- intent: saudar
  examples: |
    - oi
stories:
- story: agendar botox
  metadata:
    canal: whatsapp
  steps:
  - checkpoint: inicio
  - intent: /agendar
    entities:
    - procedimento: botox
    - cidade: Brasília
      role: destino
    - data
  - user: "quero [botox](procedimento) amanhã"
    intent: agendar
  - action: utter_confirmar
  - bot: Tudo certo!
  - slot_was_set:
    - procedimento: botox
    - confirmado
    - hora: null
  - active_loop: agendamento_form
  - active_loop: null
  - or:
    - intent: afirmar
    - intent: obrigado
  - checkpoint: fim
responses:
  utter_confirmar:
  - text: ok
"#;

    #[test]
    fn reads_every_kind_of_story_step() {
        let (data, warnings) = parse_ok(STORY);
        assert_eq!(data.stories.len(), 1);
        let story = &data.stories[0];
        assert_eq!(story.name, "agendar botox");
        assert_eq!(story.metadata, Some(json!({"canal": "whatsapp"})));
        assert_eq!((story.location.line, story.location.column), (7, 3));
        let steps = &story.steps;
        assert_eq!(steps.len(), 12);
        let Step::Checkpoint(cp) = &steps[0] else {
            panic!("{:?}", steps[0])
        };
        assert_eq!(cp.name, "inicio");
        let Step::User(u) = &steps[1] else {
            panic!("{:?}", steps[1])
        };
        assert_eq!(u.intent.as_ref().map(|i| i.as_str()), Some("agendar"));
        let listed: Vec<(&str, Option<&str>, Option<&str>)> = u
            .entities
            .iter()
            .map(|e| (e.entity.as_str(), e.value.as_deref(), e.role.as_deref()))
            .collect();
        assert_eq!(
            listed,
            [
                ("procedimento", Some("botox"), None),
                ("cidade", Some("Brasília"), Some("destino")),
                ("data", None, None)
            ]
        );
        let Step::User(e2e) = &steps[2] else {
            panic!("{:?}", steps[2])
        };
        assert_eq!(e2e.text.as_deref(), Some("quero botox amanhã"));
        assert_eq!(e2e.text_entities.len(), 1);
        assert_eq!(
            (e2e.text_entities[0].start, e2e.text_entities[0].end),
            (6, 11)
        );
        assert!(matches!(&steps[3], Step::Action(a) if a.name.as_str() == "utter_confirmar"));
        assert!(matches!(&steps[4], Step::Bot(b) if b.text == "Tudo certo!"));
        let slots: Vec<(&str, SlotValue)> = steps[5..8]
            .iter()
            .filter_map(|s| match s {
                Step::Slot(s) => Some((s.name.as_str(), s.value.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            slots,
            [
                ("procedimento", SlotValue::Value(json!("botox"))),
                ("confirmado", SlotValue::Filled),
                ("hora", SlotValue::Value(json!(null)))
            ]
        );
        assert!(
            matches!(&steps[8], Step::ActiveLoop(l) if l.name.as_ref().is_some_and(|n| n.as_str() == "agendamento_form"))
        );
        assert!(matches!(&steps[9], Step::ActiveLoop(l) if l.name.is_none()));
        let Step::Or(or) = &steps[10] else {
            panic!("{:?}", steps[10])
        };
        assert_eq!(or.alternatives.len(), 2);
        assert!(
            matches!(&or.alternatives[1], Alternative::User(u) if u.intent.as_ref().is_some_and(|i| i.as_str() == "obrigado"))
        );
        assert!(matches!(&steps[11], Step::Checkpoint(c) if c.name == "fim"));
        // The leading `/` is dropped with a warning, as Rasa does.
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            (warnings[0].location.line, warnings[0].location.column),
            (12, 13)
        );
    }

    #[test]
    fn reads_rules_with_conditions_and_flags() {
        let (data, _) = parse_ok(
            "rules:\n- rule: saudação\n  conversation_start: true\n  steps:\n  - intent: saudar\n  - action: utter_oi\n- rule: form\n  condition:\n  - active_loop: agendamento_form\n  - slot_was_set:\n    - requested_slot: data\n  wait_for_user_input: false\n  steps:\n  - action: agendamento_form\n",
        );
        let [first, second] = data.rules.as_slice() else {
            panic!("{:?}", data.rules)
        };
        assert!(first.conversation_start && first.wait_for_user_input);
        assert!(first.conditions.is_empty());
        assert_eq!(first.steps.len(), 2);
        assert!(!second.conversation_start && !second.wait_for_user_input);
        assert_eq!(second.conditions.len(), 2);
        assert!(
            matches!(&second.conditions[1], Step::Slot(s) if s.name.as_str() == "requested_slot")
        );
    }

    #[test]
    fn problems_are_located_and_reading_goes_on() {
        let yaml = "stories:\n- story: a\n  steps:\n  - intent: oi\n    action: utter_oi\n  - acton: utter_oi\n  - slot_was_set: {x: 1}\n  - or:\n    - action: utter_x\n    - intent: ok\n  - intent: \"\"\n  - action: utter_fim\n- story: b\n  steps: []\n- 3\nrules:\n- rule: r\n  conversation_start: sim\n  steps:\n  - checkpoint: c\n";
        let diags = diagnostics(yaml);
        let errors: Vec<(usize, usize)> = diags
            .iter()
            .filter(|d| d.2 == Severity::Error)
            .map(|d| (d.0, d.1))
            .collect();
        assert_eq!(
            errors,
            [
                (5, 5),
                (6, 5),
                (7, 19),
                (9, 7),
                (11, 13),
                (15, 3),
                (18, 23),
                (20, 5)
            ],
            "{diags:#?}"
        );
        let message = |line: usize| {
            diags
                .iter()
                .find(|d| d.0 == line)
                .map(|d| d.3.clone())
                .unwrap_or_default()
        };
        assert!(
            message(5).contains("`action` cannot be combined with `user`"),
            "{}",
            message(5)
        );
        assert!(
            message(6).contains("unknown step with `acton`"),
            "{}",
            message(6)
        );
        assert!(
            message(20).contains("rules cannot have checkpoints"),
            "{}",
            message(20)
        );
        assert!(
            diags
                .iter()
                .any(|d| d.2 == Severity::Warning && d.3 == "story `b` has no steps")
        );
        let (data, _) = super::parse(yaml, std::path::Path::new("stories.yml"));
        let names: Vec<usize> = data.stories.iter().map(|s| s.steps.len()).collect();
        assert_eq!(names, [2, 0], "valid steps are kept");
    }

    #[test]
    fn other_files_give_nothing() {
        for yaml in [
            "nlu:\n- intent: a\n  examples: |\n    - a\n",
            "",
            "- a\n",
            "intents: [a]\n",
        ] {
            let (data, diags) = parse_ok(yaml);
            assert!(data.stories.is_empty() && data.rules.is_empty() && diags.is_empty());
        }
        let diags = diagnostics("stories: [\n");
        assert!(diags[0].3.starts_with("invalid YAML"), "{diags:?}");
    }
}
