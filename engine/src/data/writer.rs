//! Writes training data as Rasa 3 YAML (`version: "3.1"`), e.g. to convert Rasa 1.x
//! Markdown. Reading the output back gives the same data, locations aside.

use super::{Example, TrainingData, markup};
use crate::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Renders `data` as a Rasa 3 YAML NLU file.
///
/// Consecutive examples of one intent (and intent metadata) form one `intent` item, so
/// the example order is kept. Items use `examples: |` blocks, or the list form
/// (`- text: ...`) when an example has its own metadata or a line break.
pub fn to_yaml(data: &TrainingData) -> String {
    let mut out = String::from("version: \"3.1\"\n");
    if data.examples.is_empty()
        && data.synonyms.is_empty()
        && data.regexes.is_empty()
        && data.lookups.is_empty()
    {
        out.push_str("nlu: []\n");
        return out;
    }
    out.push_str("nlu:\n");
    let mut rest = data.examples.as_slice();
    while let Some(first) = rest.first() {
        let key = split_metadata(first).0;
        let run = rest
            .iter()
            .take_while(|e| e.intent == first.intent && split_metadata(e).0 == key)
            .count();
        write_intent(&mut out, &rest[..run]);
        rest = &rest[run..];
    }
    for s in &data.synonyms {
        write_block_item(&mut out, "synonym", &s.value, &s.examples);
    }
    for r in &data.regexes {
        write_block_item(&mut out, "regex", &r.name, &r.patterns);
    }
    for l in &data.lookups {
        write_block_item(&mut out, "lookup", &l.name, &l.elements);
    }
    out
}

/// Writes `data` as Rasa 3 YAML to `path`.
pub fn write(data: &TrainingData, path: &Path) -> Result<()> {
    std::fs::write(path, to_yaml(data)).map_err(|e| Error::io(path, e))
}

/// An example's metadata split into the intent part and its own part, the way the
/// YAML reader stores them (`{"intent": ..., "example": ...}`). Metadata of any other
/// shape is the example's own.
fn split_metadata(e: &Example) -> (Option<&serde_json::Value>, Option<&serde_json::Value>) {
    match &e.metadata {
        Some(serde_json::Value::Object(m)) if m.keys().all(|k| k == "intent" || k == "example") => {
            (m.get("intent"), m.get("example"))
        }
        other => (None, other.as_ref()),
    }
}

fn write_intent(out: &mut String, examples: &[Example]) {
    let Some(first) = examples.first() else {
        return;
    };
    let _ = writeln!(out, "- intent: {}", scalar(first.intent.as_str()));
    if let Some(m) = split_metadata(first).0 {
        let _ = writeln!(out, "  metadata: {m}");
    }
    let list_form = examples
        .iter()
        .any(|e| split_metadata(e).1.is_some() || e.text.contains(['\n', '\r']));
    if list_form {
        out.push_str("  examples:\n");
        for e in examples {
            let text = markup::render(&e.text, &e.entities);
            let _ = writeln!(out, "  - text: {}", serde_json::Value::from(text));
            if let Some(m) = split_metadata(e).1 {
                let _ = writeln!(out, "    metadata: {m}");
            }
        }
    } else {
        out.push_str("  examples: |\n");
        for e in examples {
            let _ = writeln!(out, "    - {}", markup::render(&e.text, &e.entities));
        }
    }
}

fn write_block_item(out: &mut String, kind: &str, name: &str, elements: &[String]) {
    let _ = writeln!(out, "- {kind}: {}", scalar(name));
    if elements.is_empty() {
        return;
    }
    out.push_str("  examples: |\n");
    for e in elements {
        // A block line cannot hold a line break; Rasa could not read one either.
        let _ = writeln!(out, "    - {}", e.replace(['\n', '\r'], " "));
    }
}

/// A YAML scalar for a name: plain when unambiguous, else double-quoted (JSON string
/// syntax is valid YAML double-quoted syntax).
fn scalar(s: &str) -> String {
    const RESERVED: &[&str] = &["true", "false", "yes", "no", "on", "off", "null", "y", "n"];
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || "_-./".contains(c))
        && !RESERVED.contains(&s.to_lowercase().as_str());
    if plain {
        s.to_owned()
    } else {
        serde_json::Value::from(s).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{markdown, yaml};
    use std::path::Path;

    fn without_locations(mut d: TrainingData) -> TrainingData {
        d.examples.iter_mut().for_each(|e| e.location = None);
        d.synonyms.iter_mut().for_each(|s| s.location = None);
        d.regexes.iter_mut().for_each(|r| r.location = None);
        d.lookups.iter_mut().for_each(|l| l.location = None);
        d
    }

    fn round_trip(data: &TrainingData) -> TrainingData {
        let text = to_yaml(data);
        let (back, diags) = yaml::parse(&text, Path::new("out.yml"));
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        without_locations(back)
    }

    const MD: &str = r#"## intent:agendar
- quero [botox](procedimento) amanhã
- de [SP]{"entity": "cidade", "role": "origem"} para [Rio]{"entity": "cidade", "value": "Rio de Janeiro", "role": "destino", "group": "1"}
- [btx](procedimento:botox) às 3

## intent:saudar
- oi
- "olá": tudo bem? # não é comentário

## intent:agendar
- outra vez

## intent:yes
- sim

## synonym:botox
- btx
- toxina botulínica

## regex:cpf
- \d{3}\.\d{3}\.\d{3}-\d{2}

## lookup:cidade
- São Paulo
- Rio de Janeiro
"#;

    #[test]
    fn markdown_to_yaml_round_trip() {
        let (data, diags) = markdown::parse(MD, Path::new("nlu.md"));
        assert!(diags.is_empty(), "{diags:?}");
        let data = without_locations(data);
        assert_eq!(round_trip(&data), data);
        let text = to_yaml(&data);
        assert!(text.starts_with("version: \"3.1\"\nnlu:\n- intent: agendar\n  examples: |\n    - quero [botox](procedimento) amanhã\n"), "{text}");
        assert!(
            text.contains(r#"[btx]{"entity": "procedimento", "value": "botox"} às 3"#),
            "{text}"
        );
        assert!(text.contains("- intent: \"yes\"\n"), "{text}");
    }

    #[test]
    fn metadata_and_line_breaks_use_the_list_form() {
        let yaml_in = r#"nlu:
- intent: a
  metadata: {fonte: whatsapp}
  examples:
  - text: "linha 1\nlinha [2](n)"
    metadata: {id: 7}
  - text: simples
- intent: b
  examples: |
    - x
"#;
        let (data, diags) = yaml::parse(yaml_in, Path::new("in.yml"));
        assert!(diags.is_empty(), "{diags:?}");
        let data = without_locations(data);
        assert_eq!(round_trip(&data), data);
        assert!(to_yaml(&data).contains("  metadata: {\"fonte\":\"whatsapp\"}\n  examples:\n  - text: \"linha 1\\nlinha [2](n)\"\n    metadata: {\"id\":7}\n"));
    }

    #[test]
    fn empty_data() {
        let text = to_yaml(&TrainingData::default());
        assert_eq!(text, "version: \"3.1\"\nnlu: []\n");
        assert_eq!(
            round_trip(&TrainingData::default()),
            TrainingData::default()
        );
    }
}
