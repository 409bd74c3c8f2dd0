//! Checks across examples that no single reader can make: conflicting or too few
//! examples, bad entity spans, inconsistent synonyms, empty tables, broken regexes.
//! Parse-level problems come from the readers.

use super::{Diagnostic, EntityAnnotation, Example, Location, TrainingData};
use crate::names::{EntityName, IntentName};
use crate::text::fold;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Fewer examples than this for an intent is an error.
const MIN_EXAMPLES: usize = 2;
/// Fewer examples than this for an intent is a warning.
const RECOMMENDED_EXAMPLES: usize = 5;

/// Validates `data`; errors must be fixed before training, warnings are advice. The
/// diagnostics are sorted by place.
pub fn validate(data: &TrainingData) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    duplicate_texts(&data.examples, &mut diags);
    intent_sizes(&data.examples, &mut diags);
    entity_spans(&data.examples, &mut diags);
    rare_entity_types(&data.examples, &mut diags);
    synonym_conflicts(data, &mut diags);
    empty_tables(data, &mut diags);
    regexes_compile(data, &mut diags);
    diags.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
        ))
    });
    diags
}

/// Where an item was written, or a placeholder for data built in memory.
fn place(location: &Option<Location>) -> Location {
    location
        .clone()
        .unwrap_or_else(|| Location::new(Arc::new(PathBuf::from("<training data>")), 0, 0))
}

/// The form in which two example texts count as the same.
fn key(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn duplicate_texts(examples: &[Example], diags: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, &Example> = HashMap::new();
    for e in examples {
        let Some(earlier) = first.get(&key(&e.text)) else {
            first.insert(key(&e.text), e);
            continue;
        };
        let at = place(&earlier.location);
        if earlier.intent == e.intent {
            diags.push(Diagnostic::warning(
                place(&e.location),
                format!(
                    "duplicate example `{}` of intent `{}` (first at {at})",
                    e.text, e.intent
                ),
            ));
        } else {
            diags.push(Diagnostic::error(
                place(&e.location),
                format!(
                    "`{}` is an example of intent `{}` here and of intent `{}` at {at}; an example must have one intent",
                    e.text, e.intent, earlier.intent
                ),
            ));
        }
    }
}

fn intent_sizes(examples: &[Example], diags: &mut Vec<Diagnostic>) {
    let mut counts: Vec<(&IntentName, usize, &Option<Location>)> = Vec::new();
    let mut index: HashMap<&IntentName, usize> = HashMap::new();
    for e in examples {
        match index.get(&e.intent) {
            Some(&i) => counts[i].1 += 1,
            None => {
                index.insert(&e.intent, counts.len());
                counts.push((&e.intent, 1, &e.location));
            }
        }
    }
    for (intent, n, location) in counts {
        let plural = if n == 1 { "example" } else { "examples" };
        if n < MIN_EXAMPLES {
            diags.push(Diagnostic::error(
                place(location),
                format!("intent `{intent}` has only {n} {plural}; it needs at least {MIN_EXAMPLES} ({RECOMMENDED_EXAMPLES} or more recommended)"),
            ));
        } else if n < RECOMMENDED_EXAMPLES {
            diags.push(Diagnostic::warning(
                place(location),
                format!("intent `{intent}` has only {n} {plural}; {RECOMMENDED_EXAMPLES} or more are recommended"),
            ));
        }
    }
}

fn entity_spans(examples: &[Example], diags: &mut Vec<Diagnostic>) {
    for e in examples {
        let chars: Vec<char> = e.text.chars().collect();
        let mut sorted: Vec<&EntityAnnotation> = e.entities.iter().collect();
        sorted.sort_by_key(|a| (a.start, a.end));
        let mut previous: Option<&EntityAnnotation> = None;
        for a in sorted {
            if a.start >= a.end || a.end > chars.len() {
                diags.push(Diagnostic::error(
                    place(&e.location),
                    format!(
                        "entity `{}` spans characters {}..{}, which is not text of the {}-character example `{}`",
                        a.entity, a.start, a.end, chars.len(), e.text
                    ),
                ));
                continue;
            }
            let span: String = chars[a.start..a.end].iter().collect();
            if span.trim() != span {
                diags.push(Diagnostic::warning(
                    place(&e.location),
                    format!(
                        "the text `{span}` annotated as `{}` starts or ends with a space",
                        a.entity
                    ),
                ));
            }
            if let Some(p) = previous.filter(|p| p.end > a.start) {
                diags.push(Diagnostic::error(
                    place(&e.location),
                    format!(
                        "entities `{}` ({}..{}) and `{}` ({}..{}) overlap in `{}`",
                        p.entity, p.start, p.end, a.entity, a.start, a.end, e.text
                    ),
                ));
                continue;
            }
            previous = Some(a);
        }
    }
}

fn rare_entity_types(examples: &[Example], diags: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(&EntityName, usize, &Option<Location>)> = Vec::new();
    for e in examples {
        for a in &e.entities {
            match seen.iter_mut().find(|(name, _, _)| *name == &a.entity) {
                Some(entry) => entry.1 += 1,
                None => seen.push((&a.entity, 1, &e.location)),
            }
        }
    }
    for (entity, _, location) in seen.into_iter().filter(|(_, n, _)| *n == 1) {
        diags.push(Diagnostic::warning(
            place(location),
            format!("entity `{entity}` is annotated only once; the tagger cannot learn it from one example"),
        ));
    }
}

/// A surface form is mapped to a canonical value by a synonym entry, or by an
/// annotation whose value differs from its text (`[btx](procedimento:botox)`); one form
/// cannot map to two values.
fn synonym_conflicts(data: &TrainingData, diags: &mut Vec<Diagnostic>) {
    let mut mappings: Vec<(&str, &str, &Option<Location>)> = Vec::new();
    for s in &data.synonyms {
        for form in &s.examples {
            mappings.push((form, &s.value, &s.location));
        }
    }
    let mut spans = Vec::new();
    for e in &data.examples {
        let chars: Vec<char> = e.text.chars().collect();
        for a in e
            .entities
            .iter()
            .filter(|a| a.end <= chars.len() && a.start < a.end)
        {
            let span: String = chars[a.start..a.end].iter().collect();
            if span != a.value {
                spans.push((span, a.value.as_str(), &e.location));
            }
        }
    }
    mappings.extend(spans.iter().map(|(s, v, l)| (s.as_str(), *v, *l)));

    let mut first: HashMap<String, (&str, &Option<Location>)> = HashMap::new();
    let mut reported = std::collections::HashSet::new();
    for (form, value, location) in mappings {
        let k = key(form);
        match first.get(&k) {
            None => {
                first.insert(k, (value, location));
            }
            Some(&(earlier, at)) if earlier != value && reported.insert((k, value)) => {
                diags.push(Diagnostic::error(
                    place(location),
                    format!(
                        "`{form}` is a synonym of `{value}` here and of `{earlier}` at {}; a form can map to one value only",
                        place(at)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
}

fn empty_tables(data: &TrainingData, diags: &mut Vec<Diagnostic>) {
    let empty = data
        .synonyms
        .iter()
        .filter(|s| s.examples.is_empty())
        .map(|s| ("synonym", &s.value, &s.location))
        .chain(
            data.regexes
                .iter()
                .filter(|r| r.patterns.is_empty())
                .map(|r| ("regex", &r.name, &r.location)),
        )
        .chain(
            data.lookups
                .iter()
                .filter(|l| l.elements.is_empty())
                .map(|l| ("lookup table", &l.name, &l.location)),
        );
    for (kind, name, location) in empty {
        diags.push(Diagnostic::error(
            place(location),
            format!("{kind} `{name}` has no elements"),
        ));
    }
}

fn regexes_compile(data: &TrainingData, diags: &mut Vec<Diagnostic>) {
    for r in &data.regexes {
        for pattern in &r.patterns {
            if let Err(e) = regex::Regex::new(pattern) {
                // The regex crate's message spans lines; its last line says what is wrong.
                let text = e.to_string();
                let reason = text
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                diags.push(Diagnostic::error(
                    place(&r.location),
                    format!(
                        "pattern `{pattern}` of regex `{}` does not compile: {reason}",
                        r.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Severity, yaml};
    use std::path::Path;

    fn check(text: &str) -> Vec<(Severity, usize, String)> {
        let (data, diags) = yaml::parse(text, Path::new("nlu.yml"));
        assert!(diags.is_empty(), "{diags:?}");
        validate(&data)
            .into_iter()
            .map(|d| (d.severity, d.location.line, d.message))
            .collect()
    }

    #[test]
    fn clean_data_has_no_diagnostics() {
        let text = "nlu:\n- intent: a\n  examples: |\n    - um [x](e)\n    - dois [y](e)\n    - três\n    - quatro\n    - cinco\n";
        assert!(check(text).is_empty());
    }

    #[test]
    fn conflicting_and_duplicate_examples() {
        let text = "nlu:\n- intent: a\n  examples: |\n    - Olá\n    - olá \n    - b\n    - c\n    - d\n- intent: b\n  examples: |\n    - OLA\n    - e\n    - f\n    - g\n    - h\n";
        let got = check(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (Severity::Warning, 5));
        assert!(
            got[0]
                .2
                .starts_with("duplicate example `olá` of intent `a` (first at nlu.yml:4:5)")
        );
        assert_eq!((got[1].0, got[1].1), (Severity::Error, 11));
        assert_eq!(
            got[1].2,
            "`OLA` is an example of intent `b` here and of intent `a` at nlu.yml:4:5; an example must have one intent"
        );
    }

    #[test]
    fn too_few_examples() {
        let got = check(
            "nlu:\n- intent: a\n  examples: |\n    - x\n- intent: b\n  examples: |\n    - y\n    - z\n",
        );
        assert_eq!(got[0].0, Severity::Error);
        assert_eq!(
            got[0].2,
            "intent `a` has only 1 example; it needs at least 2 (5 or more recommended)"
        );
        assert_eq!((got[1].0, got[1].1), (Severity::Warning, 7));
        assert_eq!(
            got[1].2,
            "intent `b` has only 2 examples; 5 or more are recommended"
        );
    }

    fn example(text: &str, entities: Vec<EntityAnnotation>) -> Example {
        Example {
            text: text.into(),
            intent: IntentName::new("a"),
            entities,
            metadata: None,
            location: None,
        }
    }

    fn ann(start: usize, end: usize, entity: &str, value: &str) -> EntityAnnotation {
        EntityAnnotation::new(start, end, entity, value)
    }

    #[test]
    fn bad_entity_spans() {
        let mut data = TrainingData::default();
        data.examples.push(example(
            "abc def",
            vec![
                ann(0, 3, "x", "abc"),
                ann(2, 5, "x", "c d"),
                ann(4, 9, "x", "?"),
            ],
        ));
        data.examples.push(example(
            "ghi",
            vec![ann(0, 2, "x", "gh"), ann(0, 3, "x", "ghi")],
        ));
        data.examples
            .push(example("jk ", vec![ann(0, 3, "x", "jk ")]));
        let got: Vec<String> = validate(&data).into_iter().map(|d| d.message).collect();
        assert!(
            got.contains(&"entities `x` (0..3) and `x` (2..5) overlap in `abc def`".to_owned()),
            "{got:#?}"
        );
        assert!(got.contains(&"entity `x` spans characters 4..9, which is not text of the 7-character example `abc def`".to_owned()));
        assert!(got.contains(&"entities `x` (0..2) and `x` (0..3) overlap in `ghi`".to_owned()));
        assert!(
            got.contains(&"the text `jk ` annotated as `x` starts or ends with a space".to_owned())
        );
    }

    #[test]
    fn synonym_conflicts_tables_and_regexes() {
        let text = r#"nlu:
- intent: a
  examples: |
    - [btx](proc:toxina) 1
    - [btx](proc:toxina) 2
    - [solo](unico) 3
    - [x](proc) 4
    - 5
- synonym: botox
  examples: |
    - BTX
    - toxina botulínica
- synonym: vazio
- lookup: nada
- regex: ruim
  examples: |
    - (?<=a)b
    - \d+
"#;
        let got = check(text);
        let messages: Vec<(Severity, usize, &str)> =
            got.iter().map(|(s, l, m)| (*s, *l, m.as_str())).collect();
        assert_eq!(
            messages,
            [
                (
                    Severity::Error,
                    4,
                    "`btx` is a synonym of `toxina` here and of `botox` at nlu.yml:9:12; a form can map to one value only"
                ),
                (
                    Severity::Warning,
                    6,
                    "entity `unico` is annotated only once; the tagger cannot learn it from one example"
                ),
                (Severity::Error, 13, "synonym `vazio` has no elements"),
                (Severity::Error, 14, "lookup table `nada` has no elements"),
                (
                    Severity::Error,
                    15,
                    "pattern `(?<=a)b` of regex `ruim` does not compile: look-around, including look-ahead and look-behind, is not supported"
                ),
            ]
        );
    }
}
