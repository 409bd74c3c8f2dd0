//! Filling `{slot}` placeholders the way Rasa's template interpolation does (Python's
//! `str.format` over the slot values).
//!
//! `{name}` becomes the value of `name`; `{{` and `}}` are literal braces. When a name
//! is not a slot, or the braces are malformed, Rasa gives the text back untouched, and
//! so does this.

use serde_json::Value;

/// Fills the placeholders of `text`; `lookup` gives a placeholder's replacement, or
/// `None` when the name is unknown (then the whole text comes back unchanged).
pub(super) fn fill_text(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    try_fill(text, lookup).unwrap_or_else(|| text.to_owned())
}

fn try_fill(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let brace = rest[i..].chars().next()?;
        let after = &rest[i + 1..];
        if after.starts_with(brace) {
            out.push(brace);
            rest = &after[1..];
            continue;
        }
        if brace == '}' {
            return None;
        }
        let end = after.find(['{', '}', '\n'])?;
        if !after[end..].starts_with('}') || end == 0 {
            return None;
        }
        out.push_str(&lookup(&after[..end])?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Fills the placeholders of every string inside `value` (custom payloads,
/// attachments), as Rasa's `interpolate` walks dictionaries and lists.
pub(super) fn fill_json(value: &Value, lookup: &dyn Fn(&str) -> Option<String>) -> Value {
    match value {
        Value::String(s) => Value::String(fill_text(s, lookup)),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_json(v, lookup)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_json(v, lookup)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<String> {
        match name {
            "name" => Some("Ana".into()),
            "time" => Some("None".into()),
            _ => None,
        }
    }

    #[test]
    fn fills_known_placeholders() {
        assert_eq!(fill_text("Oi {name}!", &lookup), "Oi Ana!");
        assert_eq!(fill_text("{name} às {time}", &lookup), "Ana às None");
    }

    #[test]
    fn unknown_name_leaves_the_text_untouched() {
        assert_eq!(fill_text("Oi {name}, {nope}", &lookup), "Oi {name}, {nope}");
    }

    #[test]
    fn double_braces_are_literal() {
        assert_eq!(fill_text("{{name}} é {name}", &lookup), "{name} é Ana");
    }

    #[test]
    fn malformed_braces_leave_the_text_untouched() {
        assert_eq!(fill_text("a } b {name}", &lookup), "a } b {name}");
        assert_eq!(fill_text("a {name", &lookup), "a {name");
        assert_eq!(fill_text("a {} b", &lookup), "a {} b");
    }

    #[test]
    fn fills_inside_json() {
        let v = serde_json::json!({"a": ["{name}", 1], "b": {"c": "x {name}"}});
        assert_eq!(
            fill_json(&v, &lookup),
            serde_json::json!({"a": ["Ana", 1], "b": {"c": "x Ana"}})
        );
    }
}
