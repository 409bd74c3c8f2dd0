//! Helpers over saphyr's located YAML nodes, shared by the data readers and the config
//! loader: loading with a located syntax error, node locations, scalar text, conversion
//! to JSON, and the source line of each line of a block scalar. Public so that other
//! workspace crates (the clinic's data) read YAML the same way.

use super::{Diagnostic, Location};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

/// A YAML source text with its file name, for locating nodes and the lines inside them.
pub struct Source<'a> {
    /// The file the text came from.
    pub file: Arc<PathBuf>,
    lines: Vec<&'a str>,
}

impl<'a> Source<'a> {
    /// Wraps `text` read from `file`.
    pub fn new(text: &'a str, file: Arc<PathBuf>) -> Self {
        Self {
            file,
            lines: text.lines().collect(),
        }
    }

    /// The 1-based line `n`, if the text has it.
    pub fn line(&self, n: usize) -> Option<&'a str> {
        n.checked_sub(1).and_then(|i| self.lines.get(i)).copied()
    }

    /// The 1-based location of a node's first character.
    pub fn at(&self, node: &MarkedYaml) -> Location {
        Location::new(
            self.file.clone(),
            node.span.start.line(),
            node.span.start.col() + 1,
        )
    }

    /// For each line of the string scalar `value` (the value of `key`), the location of
    /// its first character.
    ///
    /// Literal block scalars (`|`) map line for line onto the source, so their locations
    /// are exact; for other styles every line is given the location of the value's start
    /// (plus one column past an opening quote).
    pub fn scalar_lines(&self, key: &MarkedYaml, value: &MarkedYaml, text: &str) -> Vec<Location> {
        let count = text.lines().count().max(1);
        let start = self.at(value);
        match self.style_after(key) {
            Some('|') => self
                .literal_lines(value, text)
                .unwrap_or_else(|| vec![start; count]),
            Some('"' | '\'') => vec![start.shifted(1); count],
            _ => vec![start; count],
        }
    }

    /// The first character after `key:` on the key's line: `|`, `>`, a quote or the
    /// start of a plain scalar.
    fn style_after(&self, key: &MarkedYaml) -> Option<char> {
        let line = self.line(key.span.end.line())?;
        let mut rest = line
            .chars()
            .skip(key.span.end.col())
            .skip_while(|c| *c == ' ' || *c == '\t');
        if rest.next() != Some(':') {
            return None;
        }
        rest.find(|c| *c != ' ' && *c != '\t')
    }

    /// Exact locations of the lines of a literal block scalar, or `None` when the
    /// source does not match the value line for line (which should not happen).
    fn literal_lines(&self, value: &MarkedYaml, text: &str) -> Option<Vec<Location>> {
        // saphyr's span starts at the first non-empty content line, after the
        // indentation; leading empty lines of the value sit just above it.
        let leading_empty = text.lines().take_while(|l| l.is_empty()).count();
        let first_line = value.span.start.line().checked_sub(leading_empty)?;
        let indent = value.span.start.col();
        let mut out = Vec::new();
        for (i, content) in text.lines().enumerate() {
            let line_no = first_line + i;
            if !content.is_empty() {
                let source: String = self.line(line_no)?.chars().skip(indent).collect();
                if source != content {
                    return None;
                }
            }
            out.push(Location::new(self.file.clone(), line_no, indent + 1));
        }
        if out.is_empty() {
            out.push(self.at(value));
        }
        Some(out)
    }
}

/// Parses the first YAML document of `text`; `Ok(None)` for an empty file. A syntax
/// error becomes an error diagnostic at the place saphyr reports.
pub fn load<'a>(text: &'a str, file: &Arc<PathBuf>) -> Result<Option<MarkedYaml<'a>>, Diagnostic> {
    match MarkedYaml::load_from_str(text) {
        Ok(docs) => Ok(docs.into_iter().next()),
        Err(e) => Err(Diagnostic::error(
            Location::new(file.clone(), e.marker().line(), e.marker().col() + 1),
            format!("invalid YAML: {}", e.info()),
        )),
    }
}

/// The node's string value, if it is a string scalar.
pub fn as_str<'n>(node: &'n MarkedYaml) -> Option<&'n str> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(s),
        YamlData::Tagged(_, inner) => as_str(inner),
        _ => None,
    }
}

/// The text of any scalar (`3.1` as well as `"3.1"`); `None` for null, collections and
/// aliases.
pub fn scalar_text<'n>(node: &'n MarkedYaml) -> Option<Cow<'n, str>> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(Cow::Borrowed(s)),
        YamlData::Value(Scalar::Integer(i)) => Some(Cow::Owned(i.to_string())),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(Cow::Owned(f.to_string())),
        YamlData::Value(Scalar::Boolean(b)) => Some(Cow::Owned(b.to_string())),
        YamlData::Representation(s, _, _) => Some(Cow::Borrowed(s)),
        YamlData::Tagged(_, inner) => scalar_text(inner),
        _ => None,
    }
}

/// True for an explicit or implicit null (`key:` with nothing after it).
pub fn is_null(node: &MarkedYaml) -> bool {
    matches!(node.data, YamlData::Value(Scalar::Null))
}

/// A short description of what a node is, for messages ("a list", "a number"...).
pub fn kind(node: &MarkedYaml) -> &'static str {
    match &node.data {
        YamlData::Value(Scalar::String(_)) | YamlData::Representation(..) => "a string",
        YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => "a number",
        YamlData::Value(Scalar::Boolean(_)) => "a boolean",
        YamlData::Value(Scalar::Null) => "empty",
        YamlData::Sequence(_) => "a list",
        YamlData::Mapping(_) => "a mapping",
        YamlData::Tagged(_, inner) => kind(inner),
        YamlData::Alias(_) | YamlData::BadValue => "an unsupported value",
    }
}

/// Converts a node to JSON: mapping keys become strings, non-finite floats null.
pub fn to_json(node: &MarkedYaml) -> serde_json::Value {
    use serde_json::Value;
    match &node.data {
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => Value::from(*i),
        YamlData::Value(Scalar::FloatingPoint(f)) => {
            serde_json::Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number)
        }
        YamlData::Value(Scalar::String(s)) => Value::String(s.to_string()),
        YamlData::Representation(s, _, _) => Value::String(s.to_string()),
        YamlData::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        YamlData::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = scalar_text(k).map_or_else(|| key_json_text(k), Cow::into_owned);
                    (key, to_json(v))
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => to_json(inner),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    }
}

/// A non-scalar mapping key, written as JSON text (YAML allows `? [a, b]: x`).
fn key_json_text(node: &MarkedYaml) -> String {
    to_json(node).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> MarkedYaml<'_> {
        let file = Arc::new(PathBuf::from("t.yml"));
        load(text, &file).ok().flatten().expect("valid YAML")
    }

    #[test]
    fn literal_block_lines_are_exact() {
        let text = "a: |  # note\n\n    - x\n    - yy\n\n    - z\nb: 1\n";
        let root = doc(text);
        let src = Source::new(text, Arc::new(PathBuf::from("t.yml")));
        let (key, value) = root
            .data
            .as_mapping()
            .and_then(|m| m.iter().next())
            .expect("a");
        let s = as_str(value).expect("string");
        let lines: Vec<(usize, usize)> = src
            .scalar_lines(key, value, s)
            .iter()
            .map(|l| (l.line, l.column))
            .collect();
        assert_eq!(lines, vec![(2, 5), (3, 5), (4, 5), (5, 5), (6, 5)]);
    }

    #[test]
    fn quoted_scalar_points_past_the_quote() {
        let text = "a: \"- x\"\n";
        let root = doc(text);
        let src = Source::new(text, Arc::new(PathBuf::from("t.yml")));
        let (key, value) = root
            .data
            .as_mapping()
            .and_then(|m| m.iter().next())
            .expect("a");
        let loc = &src.scalar_lines(key, value, "- x")[0];
        assert_eq!((loc.line, loc.column), (1, 5));
    }

    #[test]
    fn converts_to_json() {
        let root = doc("a: [1, 2.5, true, ~, x]\nb: {c: d}\n");
        assert_eq!(
            to_json(&root),
            serde_json::json!({"a": [1, 2.5, true, null, "x"], "b": {"c": "d"}})
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let file = Arc::new(PathBuf::from("t.yml"));
        let err = load("a: [\nb: x", &file).expect_err("invalid");
        assert_eq!(err.location.line, 2);
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
    }
}
