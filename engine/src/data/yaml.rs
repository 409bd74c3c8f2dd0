//! Rasa 3.x NLU training data in YAML: `version` and an `nlu:` list of `intent`,
//! `synonym`, `regex` and `lookup` items, read the way Rasa's `RasaYAMLReader` reads them.
//!
//! Keys that belong to the dialogue layer (`stories`, `rules`, `responses`, domain keys)
//! are skipped silently; a file without `nlu` yields no data and no diagnostics. Every
//! problem becomes a located [`Diagnostic`]; reading goes on after errors.

use super::yaml_value::{self, Source};
use super::{
    Diagnostic, Example, Location, LookupTable, RegexPattern, Synonym, TrainingData, lookup_file,
    markup,
};
use crate::names::IntentName;
use crate::{Error, Result};
use saphyr::MarkedYaml;
use std::path::Path;
use std::sync::Arc;

/// Top-level keys Rasa accepts in data files besides `version` and `nlu`: they are read
/// by the dialogue layer (or are domain keys), so this reader skips them.
const OTHER_TOP_LEVEL_KEYS: &[&str] = &[
    "responses",
    "stories",
    "rules",
    "intents",
    "entities",
    "slots",
    "forms",
    "actions",
    "session_config",
    "e2e_actions",
    "config",
];

/// The four kinds of `nlu` items, named by their key.
const ITEM_KINDS: &[&str] = &["intent", "synonym", "regex", "lookup"];

/// Characters stripped around an example, as Rasa strips them (plus tabs).
const STRIP: &[char] = &[' ', '\t', '\r', '\n'];

/// Reads a Rasa YAML data file. Only I/O failures are errors; problems in the data
/// are returned as diagnostics.
pub fn read(path: &Path) -> Result<(TrainingData, Vec<Diagnostic>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(parse(&text, path))
}

/// Parses Rasa YAML `text`; `path` names the file in diagnostics and anchors lookup
/// table files.
pub fn parse(text: &str, path: &Path) -> (TrainingData, Vec<Diagnostic>) {
    let file = Arc::new(path.to_path_buf());
    let mut reader = Reader {
        src: Source::new(text, file.clone()),
        path,
        data: TrainingData::default(),
        diags: Vec::new(),
    };
    match yaml_value::load(text, &file) {
        Ok(Some(root)) => reader.root(&root),
        Ok(None) => {}
        Err(d) => reader.diags.push(d),
    }
    (reader.data, reader.diags)
}

struct Reader<'a> {
    src: Source<'a>,
    path: &'a Path,
    data: TrainingData,
    diags: Vec<Diagnostic>,
}

/// One `- ` line of a block: its content (stripped), the location of the `-` and the
/// character offset of the content from the `-`.
struct DashItem<'t> {
    content: &'t str,
    at: Location,
    offset: usize,
}

impl<'a> Reader<'a> {
    fn error(&mut self, at: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(at, message));
    }

    fn warning(&mut self, at: Location, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(at, message));
    }

    fn root(&mut self, root: &MarkedYaml) {
        let Some(map) = root.data.as_mapping() else {
            return;
        };
        if root.data.as_mapping_get("nlu").is_none() {
            return;
        }
        for (key, value) in map {
            let name = yaml_value::scalar_text(key).unwrap_or_default();
            match name.as_ref() {
                "version" => self.version(value),
                "nlu" => self.nlu(value),
                other if OTHER_TOP_LEVEL_KEYS.contains(&other) => {}
                other => self.warning(
                    self.src.at(key),
                    format!(
                        "unknown top-level key `{other}` is ignored; NLU data goes under `nlu`"
                    ),
                ),
            }
        }
    }

    fn version(&mut self, value: &MarkedYaml) {
        let at = self.src.at(value);
        let Some(v) = yaml_value::as_str(value) else {
            let shown = yaml_value::scalar_text(value).unwrap_or_default();
            self.warning(
                at,
                format!(
                    "`version` should be a quoted string such as \"3.1\", not {} `{shown}`",
                    yaml_value::kind(value)
                ),
            );
            return;
        };
        let major = v.split_once('.').and_then(|(m, n)| {
            (n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
                .then_some(m)?
                .parse::<u32>()
                .ok()
        });
        match major {
            Some(3) => {}
            Some(_) => self.warning(
                at,
                format!("training data format version \"{v}\" is read as version \"3.1\""),
            ),
            None => self.warning(
                at,
                format!("`version` \"{v}\" is not a format version such as \"3.1\""),
            ),
        }
    }

    fn nlu(&mut self, value: &MarkedYaml) {
        if yaml_value::is_null(value) {
            return;
        }
        let Some(items) = value.data.as_vec() else {
            self.error(
                self.src.at(value),
                format!("`nlu` must be a list of `intent`, `synonym`, `regex` or `lookup` items, not {}", yaml_value::kind(value)),
            );
            return;
        };
        for item in items {
            self.item(item);
        }
    }

    fn item(&mut self, item: &MarkedYaml) {
        let at = self.src.at(item);
        let Some(map) = item.data.as_mapping() else {
            self.error(
                at,
                format!("each `nlu` item must be a mapping with `intent`, `synonym`, `regex` or `lookup`, not {}", yaml_value::kind(item)),
            );
            return;
        };
        let kinds: Vec<&str> = ITEM_KINDS
            .iter()
            .copied()
            .filter(|k| item.data.as_mapping_get(k).is_some())
            .collect();
        let kind = match kinds.as_slice() {
            [kind] => *kind,
            [] => {
                self.error(
                    at,
                    "an `nlu` item needs one of `intent`, `synonym`, `regex` or `lookup`",
                );
                return;
            }
            [a, b, ..] => {
                self.error(
                    at,
                    format!("an `nlu` item cannot have both `{a}` and `{b}`"),
                );
                return;
            }
        };
        let allowed: &[&str] = if kind == "intent" {
            &["intent", "examples", "metadata"]
        } else {
            &[kind, "examples"]
        };
        let mut examples = None;
        let mut metadata = None;
        let mut name_node = None;
        for (key, value) in map {
            let key_name = yaml_value::scalar_text(key).unwrap_or_default();
            match key_name.as_ref() {
                "examples" => examples = Some((key, value)),
                "metadata" if kind == "intent" => metadata = Some(yaml_value::to_json(value)),
                k if k == kind => name_node = Some(value),
                other => {
                    let expected: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
                    self.error(
                        self.src.at(key),
                        format!(
                            "unknown key `{other}` in an nlu item; expected one of {}",
                            expected.join(", ")
                        ),
                    );
                }
            }
        }
        let name = name_node
            .and_then(yaml_value::scalar_text)
            .map(|n| n.trim().to_owned())
            .unwrap_or_default();
        if name.is_empty() {
            let at = name_node.map_or(at, |n| self.src.at(n));
            self.error(at, format!("empty {kind} name"));
            return;
        }
        let location = name_node.map(|n| self.src.at(n));
        match kind {
            "intent" => self.intent(&name, at, examples, metadata),
            "synonym" => {
                let examples = self.block_elements(kind, &name, examples, false);
                self.data.synonyms.push(Synonym {
                    value: name,
                    examples,
                    location,
                });
            }
            "regex" => {
                let patterns = self.block_elements(kind, &name, examples, false);
                self.data.regexes.push(RegexPattern {
                    name,
                    patterns,
                    location,
                });
            }
            _ => {
                let elements = self.block_elements(kind, &name, examples, true);
                self.data.lookups.push(LookupTable {
                    name,
                    elements,
                    location,
                });
            }
        }
    }

    fn intent(
        &mut self,
        intent: &str,
        item_at: Location,
        examples: Option<(&MarkedYaml, &MarkedYaml)>,
        intent_metadata: Option<serde_json::Value>,
    ) {
        let intent = IntentName::new(intent);
        let Some((key, value)) = examples.filter(|(_, v)| !yaml_value::is_null(v)) else {
            self.warning(item_at, format!("intent `{intent}` has no examples"));
            return;
        };
        let metadata = |example: Option<serde_json::Value>| {
            let mut m = serde_json::Map::new();
            if let Some(i) = &intent_metadata {
                m.insert("intent".into(), i.clone());
            }
            if let Some(e) = example {
                m.insert("example".into(), e);
            }
            (!m.is_empty()).then_some(serde_json::Value::Object(m))
        };
        if let Some(text) = yaml_value::as_str(value) {
            for item in self.dash_items(intent.as_str(), key, value, text) {
                let at = item.at.shifted(item.offset);
                if let Some(m) =
                    markup::parse_reporting(item.content, |col| at.shifted(col), &mut self.diags)
                {
                    self.push_example(m, &intent, metadata(None), item.at);
                }
            }
        } else if let Some(list) = value.data.as_vec() {
            for entry in list {
                if let Some((text_key, text_node, example_md)) = self.list_example(entry) {
                    let Some(raw) = yaml_value::scalar_text(text_node) else {
                        self.error(
                            self.src.at(text_node),
                            "`text` of an example must be a string",
                        );
                        continue;
                    };
                    let lines = self.src.scalar_lines(text_key, text_node, &raw);
                    let skipped = raw.chars().take_while(|c| STRIP.contains(c)).count();
                    let content = raw.trim_matches(STRIP);
                    let start = self.src.at(text_node);
                    let locate = |col: usize| locate_in(&raw, &lines, skipped + col, &start);
                    let at = locate(0);
                    if content.is_empty() {
                        self.warning(at, format!("empty example in intent `{intent}` is skipped"));
                        continue;
                    }
                    if let Some(m) = markup::parse_reporting(content, locate, &mut self.diags) {
                        self.push_example(m, &intent, metadata(example_md), at);
                    }
                }
            }
        } else {
            self.error(
                self.src.at(value),
                format!(
                    "`examples` of intent `{intent}` must be a `|` block of `- ` lines or a list of `text:` items, not {}",
                    yaml_value::kind(value)
                ),
            );
        }
    }

    fn push_example(
        &mut self,
        m: markup::Markup,
        intent: &IntentName,
        metadata: Option<serde_json::Value>,
        at: Location,
    ) {
        self.data.examples.push(Example {
            text: m.text,
            intent: intent.clone(),
            entities: m.entities,
            metadata,
            location: Some(at),
        });
    }

    /// One entry of the list form of `examples`: the `text` key and value, and the
    /// example's metadata. `None` (after reporting) when the entry is unusable.
    fn list_example<'n>(
        &mut self,
        entry: &'n MarkedYaml<'n>,
    ) -> Option<(
        &'n MarkedYaml<'n>,
        &'n MarkedYaml<'n>,
        Option<serde_json::Value>,
    )> {
        if yaml_value::is_null(entry) {
            return None;
        }
        let Some(map) = entry.data.as_mapping() else {
            self.error(
                self.src.at(entry),
                format!(
                    "each item of an `examples` list must be a mapping with `text`, not {}",
                    yaml_value::kind(entry)
                ),
            );
            return None;
        };
        let mut text = None;
        let mut metadata = None;
        for (key, value) in map {
            match yaml_value::scalar_text(key).unwrap_or_default().as_ref() {
                "text" => text = Some((key, value)),
                "metadata" => metadata = Some(yaml_value::to_json(value)),
                other => self.error(
                    self.src.at(key),
                    format!("unknown key `{other}` in an example; expected `text` or `metadata`"),
                ),
            }
        }
        let Some((key, value)) = text else {
            self.error(
                self.src.at(entry),
                "an example in an `examples` list needs a `text`",
            );
            return None;
        };
        Some((key, value, metadata))
    }

    /// The `- ` lines of a block scalar. Lines not starting with `-` are skipped with a
    /// warning, as Rasa does; blank lines silently.
    fn dash_items<'t>(
        &mut self,
        owner: &str,
        key: &MarkedYaml,
        value: &MarkedYaml,
        text: &'t str,
    ) -> Vec<DashItem<'t>> {
        let locations = self.src.scalar_lines(key, value, text);
        let mut items = Vec::new();
        for (line, at) in text.lines().zip(locations) {
            if line.trim().is_empty() {
                continue;
            }
            let Some(rest) = line.strip_prefix('-') else {
                self.warning(
                    at,
                    format!("line `{line}` of `{owner}` does not start with `-` and is skipped"),
                );
                continue;
            };
            let lead = rest.chars().take_while(|c| STRIP.contains(c)).count();
            let content = rest.trim_matches(STRIP);
            if content.is_empty() {
                self.warning(at, format!("empty item in `{owner}` is skipped"));
                continue;
            }
            items.push(DashItem {
                content,
                at,
                offset: 1 + lead,
            });
        }
        items
    }

    /// The elements of a synonym, regex or lookup block; for a lookup, a single line
    /// not starting with `-` is the path of a file of elements.
    fn block_elements(
        &mut self,
        kind: &str,
        name: &str,
        examples: Option<(&MarkedYaml, &MarkedYaml)>,
        file_allowed: bool,
    ) -> Vec<String> {
        let Some((key, value)) = examples.filter(|(_, v)| !yaml_value::is_null(v)) else {
            return Vec::new();
        };
        let Some(text) = yaml_value::as_str(value) else {
            self.error(
                self.src.at(value),
                format!(
                    "`examples` of {kind} `{name}` must be a `|` block of `- ` lines, not {}",
                    yaml_value::kind(value)
                ),
            );
            return Vec::new();
        };
        let trimmed = text.trim();
        if file_allowed
            && !trimmed.starts_with('-')
            && !trimmed.contains('\n')
            && !trimmed.is_empty()
        {
            let at = self.src.at(value);
            return match lookup_file::read(trimmed, self.path, &at) {
                Ok(elements) => elements,
                Err(d) => {
                    self.diags.push(d);
                    Vec::new()
                }
            };
        }
        let owner = format!("{kind}: {name}");
        self.dash_items(&owner, key, value, text)
            .into_iter()
            .map(|i| i.content.to_owned())
            .collect()
    }
}

/// The location of the character at `offset` in a scalar whose lines start at `lines`.
fn locate_in(text: &str, lines: &[Location], offset: usize, fallback: &Location) -> Location {
    let mut line = 0;
    let mut col = 0;
    for c in text.chars().take(offset) {
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    match lines.get(line).or(lines.last()) {
        Some(l) => l.shifted(col),
        None => fallback.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Severity;

    fn parse_str(text: &str) -> (TrainingData, Vec<Diagnostic>) {
        parse(text, Path::new("nlu.yml"))
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        (d.location.line, d.location.column)
    }

    const BASIC: &str = r#"version: "3.1"
nlu:
- intent: agendar
  examples: |
    - quero marcar [botox](procedimento)
    -   [amanhã]{"entity": "data", "value": "2024-01-02", "role": "inicio"} pode?

    - marcar [limpeza de pele](procedimento:limpeza)
- intent: saudar
  examples: |
    - oi
    - olá
"#;

    #[test]
    fn reads_block_examples_with_entities_and_locations() {
        let (data, diags) = parse_str(BASIC);
        assert!(diags.is_empty(), "{diags:?}");
        let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "quero marcar botox",
                "amanhã pode?",
                "marcar limpeza de pele",
                "oi",
                "olá"
            ]
        );
        let lines: Vec<(usize, usize)> = data
            .examples
            .iter()
            .map(|e| e.location.as_ref().map_or((0, 0), |l| (l.line, l.column)))
            .collect();
        assert_eq!(lines, [(5, 5), (6, 5), (8, 5), (11, 5), (12, 5)]);
        let e = &data.examples[1].entities[0];
        assert_eq!((e.start, e.end, e.entity.as_str()), (0, 6, "data"));
        assert_eq!(e.value, "2024-01-02");
        assert_eq!(e.role.as_deref(), Some("inicio"));
        assert_eq!(data.examples[2].entities[0].value, "limpeza");
        assert_eq!(data.examples[0].intent.as_str(), "agendar");
    }

    #[test]
    fn markup_errors_point_inside_the_block_line() {
        let text = "nlu:\n- intent: a\n  examples: |\n    - ok\n    -  quero [botox(procedimento)\n    - [x]{\"entity\": 1}\n";
        let (data, diags) = parse_str(text);
        // Rasa keeps the unclosed `[` as text: a warning, and the example stays.
        assert_eq!(data.examples.len(), 2);
        assert_eq!(data.examples[1].text, "quero [botox(procedimento)");
        assert_eq!(diags.len(), 2, "{diags:?}");
        // `    -  quero [` : the `[` is the 14th character of line 5.
        assert_eq!(
            (diags[0].severity, at(&diags[0])),
            (Severity::Warning, (5, 14))
        );
        assert!(diags[0].message.contains("unclosed `[`"));
        assert_eq!(
            (diags[1].severity, at(&diags[1])),
            (Severity::Error, (6, 10))
        );
        assert!(
            diags[1].message.contains("must be a string"),
            "{}",
            diags[1].message
        );
    }

    #[test]
    fn list_form_with_metadata() {
        let text = r#"nlu:
- intent: saudar
  metadata: {sentiment: neutral}
  examples:
  - text: |
      oi [Ana](nome)
    metadata:
      canal: whatsapp
  - text: "bom dia"
  - text: boa [noite]{"entity"}
"#;
        let (data, diags) = parse_str(text);
        assert_eq!(data.examples.len(), 2);
        assert_eq!(data.examples[0].text, "oi Ana");
        assert_eq!(
            data.examples[0].metadata,
            Some(
                serde_json::json!({"intent": {"sentiment": "neutral"}, "example": {"canal": "whatsapp"}})
            )
        );
        assert_eq!(
            data.examples[0]
                .location
                .as_ref()
                .map(|l| (l.line, l.column)),
            Some((6, 7))
        );
        assert_eq!(
            data.examples[1].metadata,
            Some(serde_json::json!({"intent": {"sentiment": "neutral"}}))
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(at(&diags[0]), (10, 31));
    }

    #[test]
    fn synonyms_regexes_and_inline_lookups() {
        let text = r#"nlu:
- synonym: botox
  examples: |
    - toxina botulínica
    - btx
- regex: cpf
  examples: |
    - \d{3}\.\d{3}\.\d{3}-\d{2}
- lookup: procedimento
  examples: |
    - peeling
    - preenchimento labial
"#;
        let (data, diags) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.synonyms[0].value, "botox");
        assert_eq!(data.synonyms[0].examples, ["toxina botulínica", "btx"]);
        assert_eq!(
            data.synonyms[0]
                .location
                .as_ref()
                .map(|l| (l.line, l.column)),
            Some((2, 12))
        );
        assert_eq!(data.regexes[0].patterns, [r"\d{3}\.\d{3}\.\d{3}-\d{2}"]);
        assert_eq!(
            data.lookups[0].elements,
            ["peeling", "preenchimento labial"]
        );
    }

    #[test]
    fn lookup_from_a_file_next_to_the_yaml() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("cidades.txt"), "Recife\nOlinda\n").expect("write");
        let path = dir.path().join("nlu.yml");
        let (data, diags) = parse(
            "nlu:\n- lookup: cidade\n  examples: cidades.txt\n- lookup: x\n  examples: nada.txt\n",
            &path,
        );
        assert_eq!(data.lookups[0].elements, ["Recife", "Olinda"]);
        assert_eq!(diags.len(), 1);
        assert_eq!(at(&diags[0]), (5, 13));
        assert!(diags[0].message.contains("`nada.txt` not found"));
    }

    #[test]
    fn unknown_keys_are_errors_and_all_are_collected() {
        let text = "nlu:\n- intent: a\n  exemples: |\n    - x\n- synonym: b\n  metadata: 1\n- foo: c\n- intent: d\n  synonym: e\n";
        let (_, diags) = parse_str(text);
        let got: Vec<((usize, usize), &str)> =
            diags.iter().map(|d| (at(d), d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    (3, 3),
                    "unknown key `exemples` in an nlu item; expected one of `intent`, `examples`, `metadata`"
                ),
                ((2, 3), "intent `a` has no examples"),
                (
                    (6, 3),
                    "unknown key `metadata` in an nlu item; expected one of `synonym`, `examples`"
                ),
                (
                    (7, 3),
                    "an `nlu` item needs one of `intent`, `synonym`, `regex` or `lookup`"
                ),
                (
                    (8, 3),
                    "an `nlu` item cannot have both `intent` and `synonym`"
                ),
            ]
        );
    }

    #[test]
    fn dialogue_keys_are_skipped_and_files_without_nlu_are_empty() {
        let text = "version: \"3.1\"\nnlu:\n- intent: a\n  examples: |\n    - x\nresponses:\n  utter_a:\n  - text: oi\nstories:\n- story: s\n  steps: []\nrules: []\n";
        let (data, diags) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.examples.len(), 1);
        let (data, diags) = parse_str("intents:\n- a\nfoo: 1\nstories: []\n");
        assert!(diags.is_empty() && data == TrainingData::default());
        let (_, diags) = parse_str("nlu: []\nnul: []\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Warning);
        assert!(diags[0].message.contains("unknown top-level key `nul`"));
    }

    #[test]
    fn version_must_be_a_string() {
        let (_, diags) = parse_str("version: 3.1\nnlu: []\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].severity, at(&diags[0])),
            (Severity::Warning, (1, 10))
        );
        assert!(
            diags[0].message.contains("quoted string"),
            "{}",
            diags[0].message
        );
        let (_, diags) = parse_str("version: \"3.0\"\nnlu: []\n");
        assert!(diags.is_empty());
        let (_, diags) = parse_str("version: \"2.0\"\nnlu: []\n");
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn lines_without_dash_are_skipped_with_a_warning() {
        let (data, diags) = parse_str("nlu:\n- intent: a\n  examples: |\n    - x\n    y\n");
        assert_eq!(data.examples.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            (diags[0].severity, at(&diags[0])),
            (Severity::Warning, (5, 5))
        );
    }

    #[test]
    fn syntax_errors_are_diagnostics() {
        let (data, diags) = parse_str("nlu:\n- intent: a\n examples: [\n");
        assert!(data.examples.is_empty());
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn crlf_and_bom_are_handled() {
        let text = "\u{feff}nlu:\r\n- intent: a\r\n  examples: |\r\n    - oi\r\n    - [x(e)\r\n";
        let (data, diags) = parse_str(text);
        let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["oi", "[x(e)"]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(at(&diags[0]), (5, 7));
    }
}
