//! Rasa's entity markup inside an example line: `[text](entity)`, the legacy
//! `[text](entity:value)` and `[text]{"entity": "e", "value": "v", "role": "r", "group": "g"}`.
//!
//! [`parse`] turns a marked-up line into plain text and annotations, and rejects any `[`
//! that does not start valid markup; [`parse_lenient`] reads lines the way Rasa does,
//! keeping such a `[` as plain text (and reporting it, since it is usually a typo that
//! loses an annotation). [`render`] is the reverse of parsing. A `]`, `)` or `}` outside
//! markup is plain text either way.

use super::{Diagnostic, EntityAnnotation, Location};
use crate::names::EntityName;
use std::fmt;

/// A line with its markup removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markup {
    /// The plain text.
    pub text: String,
    /// The annotations, ordered by `start` (character offsets into `text`).
    pub entities: Vec<EntityAnnotation>,
}

/// Malformed markup, with the character offset in the line where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    /// 0-based character offset in the line.
    pub column: usize,
    /// A plain sentence saying what is wrong.
    pub message: String,
}

impl fmt::Display for MarkupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MarkupError {}

/// A problem found while parsing; `fatal` unless Rasa would keep the text as written.
struct Problem {
    error: MarkupError,
    fatal: bool,
}

/// A problem Rasa ignores: its regex simply does not match, so the text stays literal.
fn literal<T>(column: usize, message: impl Into<String>) -> Result<T, Problem> {
    Err(Problem {
        error: MarkupError {
            column,
            message: message.into(),
        },
        fatal: false,
    })
}

/// A problem Rasa rejects too (bad JSON in recognised `{...}` markup).
fn fatal<T>(column: usize, message: impl Into<String>) -> Result<T, Problem> {
    Err(Problem {
        error: MarkupError {
            column,
            message: message.into(),
        },
        fatal: true,
    })
}

/// Parses the entity markup in one example line; any malformed markup is an error.
pub fn parse(line: &str) -> Result<Markup, MarkupError> {
    parse_with(line, false).map(|(markup, _)| markup)
}

/// Parses the entity markup in one example line as Rasa does: a `[` that does not start
/// valid markup stays in the text, and each such place is returned as a warning. Bad
/// JSON in `[text]{...}` markup is still an error, as in Rasa.
pub fn parse_lenient(line: &str) -> Result<(Markup, Vec<MarkupError>), MarkupError> {
    parse_with(line, true)
}

/// [`parse_lenient`] for the readers: warnings and the error become diagnostics at
/// `locate(column)`; `None` after an error.
pub(crate) fn parse_reporting(
    line: &str,
    locate: impl Fn(usize) -> Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<Markup> {
    match parse_lenient(line) {
        Ok((markup, warnings)) => {
            diags.extend(warnings.into_iter().map(|w| {
                let message = format!("{}; the text is kept as written, as Rasa does", w.message);
                Diagnostic::warning(locate(w.column), message)
            }));
            Some(markup)
        }
        Err(e) => {
            diags.push(Diagnostic::error(locate(e.column), e.message));
            None
        }
    }
}

fn parse_with(line: &str, lenient: bool) -> Result<(Markup, Vec<MarkupError>), MarkupError> {
    // Work on (byte offset, char) pairs: errors report characters, serde_json wants bytes.
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut text = String::with_capacity(line.len());
    let mut text_len = 0;
    let mut entities = Vec::new();
    let mut warnings = Vec::new();
    let mut i = 0;
    while let Some(&(_, c)) = chars.get(i) {
        if c != '[' {
            text.push(c);
            text_len += 1;
            i += 1;
            continue;
        }
        let (span, attrs, next) = match entity_at(line, &chars, i) {
            Ok(found) => found,
            Err(p) if lenient && !p.fatal => {
                warnings.push(p.error);
                text.push('[');
                text_len += 1;
                i += 1;
                continue;
            }
            Err(p) => return Err(p.error),
        };
        let span_len = span.chars().count();
        entities.push(EntityAnnotation {
            start: text_len,
            end: text_len + span_len,
            entity: attrs.entity,
            value: attrs.value.unwrap_or_else(|| span.clone()),
            role: attrs.role,
            group: attrs.group,
        });
        text.push_str(&span);
        text_len += span_len;
        i = next;
    }
    Ok((Markup { text, entities }, warnings))
}

/// The markup starting with the `[` at `open`: the annotated text, its attributes and
/// the index just after the markup.
fn entity_at(
    line: &str,
    chars: &[(usize, char)],
    open: usize,
) -> Result<(String, Attrs, usize), Problem> {
    let close = find_close_bracket(chars, open)?;
    let span: String = chars[open + 1..close].iter().map(|(_, c)| c).collect();
    if span.trim().is_empty() {
        return literal(
            open,
            "empty entity text `[]`: put the annotated words between the brackets",
        );
    }
    let (attrs, next) = match chars.get(close + 1) {
        Some((_, '(')) => parse_parens(chars, close + 1)?,
        Some((_, '{')) => parse_json(line, chars, close + 1)?,
        _ => {
            return literal(
                close,
                "`]` must be followed by `(entity)` or `{\"entity\": ...}`",
            );
        }
    };
    Ok((span, attrs, next))
}

/// The index of the `]` closing the `[` at `open`.
fn find_close_bracket(chars: &[(usize, char)], open: usize) -> Result<usize, Problem> {
    for (j, &(_, c)) in chars.iter().enumerate().skip(open + 1) {
        match c {
            ']' => return Ok(j),
            '[' => {
                return literal(
                    j,
                    format!(
                        "`[` inside the entity text opened at column {}: entity markup cannot be nested",
                        open + 1
                    ),
                );
            }
            _ => {}
        }
    }
    literal(open, "unclosed `[`: no matching `]`")
}

/// What follows `[text]`.
struct Attrs {
    entity: EntityName,
    value: Option<String>,
    role: Option<String>,
    group: Option<String>,
}

/// `(entity)` or `(entity:value)` starting at `open`; returns the index after `)`.
fn parse_parens(chars: &[(usize, char)], open: usize) -> Result<(Attrs, usize), Problem> {
    // Stop at brackets too, so `[a](b and [c](d)` reports the first `(` as unclosed.
    let close = (open + 1..chars.len()).find(|&j| matches!(chars[j].1, ')' | '(' | '[' | ']'));
    let Some(close) = close.filter(|&j| chars[j].1 == ')') else {
        return literal(open, "unclosed `(`: no matching `)`");
    };
    let inner: String = chars[open + 1..close].iter().map(|(_, c)| c).collect();
    let (entity, value) = match inner.split_once(':') {
        Some((e, v)) => (e.trim(), Some(v.trim())),
        None => (inner.trim(), None),
    };
    if entity.is_empty() {
        return literal(open + 1, "missing entity name in `(...)`");
    }
    if value.is_some_and(str::is_empty) {
        return literal(open + 1, "empty value after `:` in `(entity:value)`");
    }
    let attrs = Attrs {
        entity: EntityName::new(entity),
        value: value.map(str::to_owned),
        role: None,
        group: None,
    };
    Ok((attrs, close + 1))
}

/// A JSON object starting at `open`; returns the index after its `}`.
fn parse_json(line: &str, chars: &[(usize, char)], open: usize) -> Result<(Attrs, usize), Problem> {
    let start_byte = chars[open].0;
    let rest = &line[start_byte..];
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
    let object = match stream.next() {
        Some(Ok(serde_json::Value::Object(map))) => map,
        Some(Err(e)) if e.is_eof() => return literal(open, "unclosed `{`: no matching `}`"),
        Some(Err(e)) => {
            let column = open + char_column(rest, e.column());
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            return fatal(column, format!("invalid JSON in entity markup: {message}"));
        }
        _ => return fatal(open, "expected a JSON object after `]`"),
    };
    let end_byte = start_byte + stream.byte_offset();
    let next = chars.partition_point(|(b, _)| *b < end_byte);

    let (mut entity, mut value, mut role, mut group) = (None, None, None, None);
    for (key, v) in &object {
        let serde_json::Value::String(s) = v else {
            return fatal(open, format!("`{key}` in entity markup must be a string"));
        };
        match key.as_str() {
            "entity" => entity = Some(s.trim()),
            "value" => value = Some(s.clone()),
            "role" => role = Some(s.clone()),
            "group" => group = Some(s.clone()),
            other => {
                return fatal(
                    open,
                    format!(
                        "unknown key `{other}` in entity markup; expected `entity`, `value`, `role` or `group`"
                    ),
                );
            }
        }
    }
    let entity = match entity {
        Some(e) if !e.is_empty() => EntityName::new(e),
        Some(_) => return fatal(open, "empty `entity` in entity markup"),
        None => return fatal(open, "missing `\"entity\"` key in entity markup"),
    };
    let attrs = Attrs {
        entity,
        value,
        role,
        group,
    };
    Ok((attrs, next))
}

/// The 0-based character offset in `text` of serde_json's 1-based byte column on its
/// first line.
fn char_column(text: &str, byte_column: usize) -> usize {
    let byte = byte_column.saturating_sub(1).min(text.len());
    let boundary = (0..=byte)
        .rev()
        .find(|b| text.is_char_boundary(*b))
        .unwrap_or(0);
    text[..boundary].chars().count()
}

/// Writes `text` with `entities` as Rasa markup: `[text](entity)` when the value is the
/// annotated text and there is no role or group, else `[text]{"entity": ...}`.
///
/// Annotations that overlap an earlier one or fall outside the text cannot be written
/// and are left out (the validator reports them).
pub fn render(text: &str, entities: &[EntityAnnotation]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut sorted: Vec<&EntityAnnotation> = entities.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len() + 16 * entities.len());
    let mut pos = 0;
    for e in sorted {
        if e.start < pos || e.start >= e.end || e.end > chars.len() {
            continue;
        }
        out.extend(&chars[pos..e.start]);
        let span: String = chars[e.start..e.end].iter().collect();
        out.push('[');
        out.push_str(&span);
        out.push(']');
        if e.value == span && e.role.is_none() && e.group.is_none() {
            out.push('(');
            out.push_str(e.entity.as_str());
            out.push(')');
        } else {
            out.push_str(&json_attrs(e, &span));
        }
        pos = e.end;
    }
    out.extend(&chars[pos..]);
    out
}

/// `{"entity": ..., "value": ..., "role": ..., "group": ...}`, keys in that order, the
/// value only when it differs from the annotated text.
fn json_attrs(e: &EntityAnnotation, span: &str) -> String {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut parts = vec![format!("\"entity\": {}", quote(e.entity.as_str()))];
    if e.value != span {
        parts.push(format!("\"value\": {}", quote(&e.value)));
    }
    if let Some(role) = &e.role {
        parts.push(format!("\"role\": {}", quote(role)));
    }
    if let Some(group) = &e.group {
        parts.push(format!("\"group\": {}", quote(group)));
    }
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(start: usize, end: usize, entity: &str, value: &str) -> EntityAnnotation {
        EntityAnnotation::new(start, end, entity, value)
    }

    fn error(line: &str) -> MarkupError {
        parse(line).expect_err("should fail")
    }

    #[test]
    fn plain_text_has_no_entities() {
        let m = parse("quanto custa o botox?").expect("valid");
        assert_eq!(m.text, "quanto custa o botox?");
        assert!(m.entities.is_empty());
    }

    #[test]
    fn simple_and_legacy_value_forms() {
        let m = parse("quero [botox](procedimento) às [3 da tarde](hora:15:00)").expect("valid");
        assert_eq!(m.text, "quero botox às 3 da tarde");
        assert_eq!(
            m.entities,
            vec![
                ann(6, 11, "procedimento", "botox"),
                ann(15, 25, "hora", "15:00")
            ]
        );
    }

    #[test]
    fn offsets_count_characters() {
        let m = parse("ã [é](x)").expect("valid");
        assert_eq!(m.entities, vec![ann(2, 3, "x", "é")]);
    }

    #[test]
    fn json_form_with_role_group_and_value() {
        let m = parse(
            r#"de [SP]{"entity": "city", "value": "São Paulo", "role": "from", "group": "1"} ok"#,
        )
        .expect("valid");
        assert_eq!(m.text, "de SP ok");
        let e = &m.entities[0];
        assert_eq!((e.start, e.end, e.entity.as_str()), (3, 5, "city"));
        assert_eq!(e.value, "São Paulo");
        assert_eq!(e.role.as_deref(), Some("from"));
        assert_eq!(e.group.as_deref(), Some("1"));
    }

    #[test]
    fn json_with_brace_inside_a_string() {
        let m = parse(r#"[a]{"entity": "x", "value": "}"} b"#).expect("valid");
        assert_eq!(m.text, "a b");
        assert_eq!(m.entities[0].value, "}");
    }

    #[test]
    fn stray_closing_characters_are_text() {
        let m = parse("fone [61 9999](telefone)) :]").expect("valid");
        assert_eq!(m.text, "fone 61 9999) :]");
    }

    #[test]
    fn errors_carry_the_column() {
        assert_eq!(error("oi [ana").column, 3);
        assert!(error("oi [ana").message.contains("unclosed `[`"));
        let e = error("oi [ana] tudo");
        assert_eq!(e.column, 7);
        assert!(e.message.contains("`]` must be followed"), "{}", e.message);
        assert_eq!(error("oi [ana](nome").column, 8);
        assert!(error("oi [ana](nome").message.contains("unclosed `(`"));
        assert_eq!(error(r#"oi [ana]{"entity": "x""#).column, 8);
        assert!(
            error(r#"oi [ana]{"entity": "x""#)
                .message
                .contains("unclosed `{`")
        );
        assert_eq!(error("x [](e)").column, 2);
        assert!(error("x [](e)").message.contains("empty entity text"));
        assert_eq!(error("[a [b](e)").column, 3);
        assert!(error("[a]()").message.contains("missing entity name"));
    }

    #[test]
    fn bad_json_reports_serde_message_and_position() {
        let e = error(r#"é [a]{"entity": x}"#);
        assert!(
            e.message
                .starts_with("invalid JSON in entity markup: expected value"),
            "{}",
            e.message
        );
        assert_eq!(e.column, 16);
        let e = error(r#"[a]{"value": "b"}"#);
        assert!(
            e.message.contains("missing `\"entity\"` key"),
            "{}",
            e.message
        );
        let e = error(r#"[a]{"entity": "b", "colour": "c"}"#);
        assert!(e.message.contains("unknown key `colour`"), "{}", e.message);
    }

    #[test]
    fn lenient_keeps_unrecognised_markup_as_text() {
        let (m, warnings) =
            parse_lenient("[meajuda](meajuda e [x](y) [a] [{\"k\": 1}]}").expect("lenient");
        assert_eq!(m.text, "[meajuda](meajuda e x [a] [{\"k\": 1}]}");
        assert_eq!(m.entities, vec![ann(20, 21, "y", "x")]);
        let columns: Vec<usize> = warnings.iter().map(|w| w.column).collect();
        assert_eq!(columns, [9, 29, 40]);
        assert!(warnings[0].message.contains("unclosed `(`"));
        let e = parse_lenient(r#"[a]{"entity": x}"#).expect_err("bad JSON stays an error");
        assert!(e.message.starts_with("invalid JSON"));
    }

    #[test]
    fn render_round_trips() {
        for line in [
            "quero [botox](procedimento) amanhã",
            r#"de [SP]{"entity": "city", "value": "São Paulo", "role": "from"} para [Rio]{"entity": "city", "role": "to"}"#,
            r#"[btx]{"entity": "procedimento", "value": "botox"}"#,
            "sem entidades",
        ] {
            let m = parse(line).expect("valid");
            assert_eq!(render(&m.text, &m.entities), line);
        }
    }

    #[test]
    fn render_skips_overlaps() {
        let out = render("abc def", &[ann(0, 3, "x", "abc"), ann(2, 5, "y", "c d")]);
        assert_eq!(out, "[abc](x) def");
    }
}
