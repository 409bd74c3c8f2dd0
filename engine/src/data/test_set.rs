//! Test sets: a JSON list of examples, `[{"text", "intent", "entities": [{"start",
//! "end", "entity", "value", "role"?, "group"?}]}]`, with character offsets. Any training
//! data file (Rasa YAML or Markdown) is accepted as a test set too.

use super::{Diagnostic, EntityAnnotation, Example, Location, loader};
use crate::Result;
use crate::names::{EntityName, IntentName};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reads a test set from a `.json` example list, or from any file or directory of
/// training data the [`loader`] reads (chosen by extension).
pub fn load_test_set(path: &Path) -> Result<(Vec<Example>, Vec<Diagnostic>)> {
    let (data, diags) = loader::load_training_data(&[path.to_path_buf()])?;
    Ok((data.examples, diags))
}

/// Whether `text` is a JSON example list: a JSON array, empty or starting with an
/// object that has a `text`. `None` when it is not valid JSON.
pub fn is_example_list(text: &str) -> Option<bool> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(match value {
        serde_json::Value::Array(items) => items.first().is_none_or(|f| f.get("text").is_some()),
        _ => false,
    })
}

/// An example as written in the JSON list; unknown keys (`intent_prediction`,
/// `extractor`...) are ignored so Rasa's own outputs can be read.
#[derive(Deserialize)]
struct RawExample {
    text: String,
    intent: Option<String>,
    #[serde(default)]
    entities: Vec<RawEntity>,
    metadata: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawEntity {
    start: usize,
    end: usize,
    entity: String,
    value: Option<serde_json::Value>,
    role: Option<String>,
    group: Option<String>,
}

/// Parses a JSON example list; `path` names the file in diagnostics.
pub fn parse_json(text: &str, path: &Path) -> (Vec<Example>, Vec<Diagnostic>) {
    let file = Arc::new(path.to_path_buf());
    let mut diags = Vec::new();
    let items: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => {
            let at = Location::new(file, 1, 1);
            let msg =
                "a JSON test set must be a list of `{\"text\", \"intent\", \"entities\"}` objects";
            return (Vec::new(), vec![Diagnostic::error(at, msg)]);
        }
        Err(e) => {
            let at = Location::new(file, e.line(), char_column(text, e.line(), e.column()));
            let msg = format!("invalid JSON: {}", without_position(&e));
            return (Vec::new(), vec![Diagnostic::error(at, msg)]);
        }
    };
    let starts = element_starts(text);
    let mut examples = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = starts.get(i).map_or_else(
            || Location::new(file.clone(), 1, 1),
            |&b| location_of(text, b, &file),
        );
        if let Some(example) = example(item, i, at, &mut diags) {
            examples.push(example);
        }
    }
    (examples, diags)
}

/// Converts one JSON item, reporting problems at `at`.
fn example(
    item: serde_json::Value,
    index: usize,
    at: Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<Example> {
    if !item.is_object() {
        diags.push(Diagnostic::error(
            at,
            format!("item {index} of the test set is not an object"),
        ));
        return None;
    }
    let raw: RawExample = match serde_json::from_value(item) {
        Ok(raw) => raw,
        Err(e) => {
            diags.push(Diagnostic::error(at, format!("invalid example: {e}")));
            return None;
        }
    };
    let Some(intent) = raw.intent.filter(|i| !i.trim().is_empty()) else {
        diags.push(Diagnostic::error(at, "example has no `intent`"));
        return None;
    };
    let chars: Vec<char> = raw.text.chars().collect();
    let mut entities = Vec::with_capacity(raw.entities.len());
    for mut e in raw.entities {
        if e.start >= e.end || e.end > chars.len() {
            let value = match &e.value {
                Some(serde_json::Value::String(v)) => v.as_str(),
                _ => "",
            };
            let found = nearest(&raw.text, value, e.start);
            let outcome = match found {
                Some((start, end)) => format!("using `{value}` found at {start}..{end}"),
                None => "the entity is dropped".to_owned(),
            };
            diags.push(Diagnostic::warning(
                at.clone(),
                format!(
                    "entity text not in example: `{}` spans characters {}..{} of a {}-character text; {outcome}",
                    e.entity,
                    e.start,
                    e.end,
                    chars.len()
                ),
            ));
            let Some((start, end)) = found else {
                continue;
            };
            (e.start, e.end) = (start, end);
        }
        let span: String = chars[e.start..e.end].iter().collect();
        let value = match e.value {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Null) | None => span.clone(),
            Some(other) => other.to_string(),
        };
        if let Some(found) = misplaced(&raw.text, &span, &value) {
            diags.push(Diagnostic::warning(
                at.clone(),
                format!(
                    "entity `{}` spans `{span}` ({}..{}) but its value `{value}` is at {found}; are the offsets counted in bytes rather than characters?",
                    e.entity, e.start, e.end
                ),
            ));
        }
        entities.push(EntityAnnotation {
            start: e.start,
            end: e.end,
            entity: EntityName::new(e.entity),
            value,
            role: e.role,
            group: e.group,
        });
    }
    entities.sort_by_key(|e| (e.start, e.end));
    Some(Example {
        text: raw.text,
        intent: IntentName::new(intent),
        entities,
        metadata: raw.metadata,
        location: Some(at),
    })
}

/// When the span text differs from the value but the value occurs elsewhere in the
/// text, the character range where it is (a value that is a synonym occurs nowhere).
fn misplaced(text: &str, span: &str, value: &str) -> Option<String> {
    if span == value || value.is_empty() {
        return None;
    }
    let byte = text.find(value)?;
    let start = text[..byte].chars().count();
    Some(format!("{start}..{}", start + value.chars().count()))
}

/// The character range of the occurrence of `value` in `text` starting nearest to
/// `start`.
fn nearest(text: &str, value: &str, start: usize) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    let len = value.chars().count();
    text.match_indices(value)
        .map(|(byte, _)| text[..byte].chars().count())
        .min_by_key(|s| s.abs_diff(start))
        .map(|s| (s, s + len))
}

/// Byte offsets where the items of the top-level JSON array start (the JSON is valid).
fn element_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut expecting) = (0usize, false, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !b.is_ascii_whitespace() && b != b']' {
            starts.push(i);
            expecting = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                expecting = depth == 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    starts
}

/// The 1-based line and character column of byte offset `byte`.
fn location_of(text: &str, byte: usize, file: &Arc<PathBuf>) -> Location {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location::new(file.clone(), line, column)
}

/// The 1-based character column of serde_json's 1-based byte column on `line`.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else {
        return byte_column.max(1);
    };
    let byte = byte_column.saturating_sub(1).min(l.len());
    let boundary = (0..=byte)
        .rev()
        .find(|b| l.is_char_boundary(*b))
        .unwrap_or(0);
    l[..boundary].chars().count() + 1
}

/// serde_json's message without its trailing " at line L column C".
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rsplit_once(" at line ") {
        Some((m, _)) => m.to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Severity;

    fn parse_str(text: &str) -> (Vec<Example>, Vec<Diagnostic>) {
        parse_json(text, Path::new("test.json"))
    }

    #[test]
    fn reads_examples_entities_roles_and_locations() {
        let text = r#"[
  {"text": "quero botox às 3", "intent": "agendar",
   "entities": [{"start": 15, "end": 16, "entity": "hora", "value": 15},
                {"start": 6, "end": 11, "entity": "procedimento", "value": "botox", "role": "r", "group": "g"}]},
  {"text": "oi", "intent": "saudar", "intent_prediction": {"name": "saudar"}}
]"#;
        let (examples, diags) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(examples.len(), 2);
        let e = &examples[0];
        assert_eq!(e.entities[0].entity.as_str(), "procedimento");
        assert_eq!(e.entities[0].role.as_deref(), Some("r"));
        assert_eq!(e.entities[0].group.as_deref(), Some("g"));
        assert_eq!(e.entities[1].value, "15");
        let locs: Vec<_> = examples
            .iter()
            .map(|e| e.location.as_ref().map(|l| (l.line, l.column)))
            .collect();
        assert_eq!(locs, [Some((2, 3)), Some((5, 3))]);
    }

    #[test]
    fn syntax_errors_have_line_and_character_column() {
        let (examples, diags) = parse_str("[\n {\"text\": \"é\", \"intent\": x}\n]");
        assert!(examples.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].location.line, diags[0].location.column), (2, 26));
        assert_eq!(diags[0].message, "invalid JSON: expected value");
    }

    #[test]
    fn bad_spans_are_diagnostics() {
        let text = r#"[{"text": "ação já", "intent": "a", "entities": [
  {"start": 5, "end": 12, "entity": "x", "value": "nada"},
  {"start": 4, "end": 6, "entity": "y", "value": "já"},
  {"start": 0, "end": 4, "entity": "z", "value": "acao"},
  {"start": 5, "end": 8, "entity": "w", "value": "já"}]},
 {"text": "b"},
 3]"#;
        let (examples, diags) = parse_str(text);
        assert_eq!(examples.len(), 1);
        let spans: Vec<(usize, usize, &str)> = examples[0]
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.entity.as_str()))
            .collect();
        assert_eq!(spans, [(0, 4, "z"), (4, 6, "y"), (5, 7, "w")]);
        let got: Vec<(Severity, usize, &str)> = diags
            .iter()
            .map(|d| (d.severity, d.location.line, d.message.as_str()))
            .collect();
        assert_eq!(got[0].0, Severity::Warning);
        assert!(
            got[0]
                .2
                .starts_with("entity text not in example: `x` spans characters 5..12")
        );
        assert!(got[0].2.ends_with("the entity is dropped"));
        assert!(got[1].2.contains("is at 5..7"), "{}", got[1].2);
        assert!(
            got[2].2.ends_with("using `já` found at 5..7"),
            "{}",
            got[2].2
        );
        assert_eq!(
            (got[3].0, got[3].1, got[3].2),
            (Severity::Error, 6, "example has no `intent`")
        );
        assert_eq!(
            (got[4].1, got[4].2),
            (7, "item 2 of the test set is not an object")
        );
        assert_eq!(diags.len(), 5);
    }

    #[test]
    fn not_a_list_is_an_error() {
        let (_, diags) = parse_str(r#"{"rasa_nlu_data": {}}"#);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            is_example_list(r#"[{"text": "a", "intent": "b"}]"#),
            Some(true)
        );
        assert_eq!(is_example_list("[]"), Some(true));
        assert_eq!(is_example_list(r#"[{"event": "x"}]"#), Some(false));
        assert_eq!(is_example_list(r#"{"text": "a"}"#), Some(false));
        assert_eq!(is_example_list("[{"), None);
    }
}
