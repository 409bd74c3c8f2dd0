//! Typed, located access to the clinic's YAML files over the engine's saphyr helpers:
//! every wrong type, missing key or bad value becomes a diagnostic at its line and column.

use crate::config::TimeRange;
use crate::money::{Money, Percent};
use bela_engine::data::yaml_value::{self, Source};
use bela_engine::data::{Diagnostic, Location};
use jiff::civil::{Date, Time};
use saphyr::MarkedYaml;
use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

/// A YAML node with its position.
pub(crate) type Node<'a> = MarkedYaml<'a>;

/// Collects the diagnostics of one file while its values are read.
pub(crate) struct Reader<'a> {
    src: Source<'a>,
    // Interior mutability lets reads nest (`r.money(f.require(r, "from")?, ..)`).
    diags: RefCell<Vec<Diagnostic>>,
}

impl<'a> Reader<'a> {
    /// Parses `text` (read from `path`); the root node, unless the file is empty or broken.
    pub fn parse(text: &'a str, path: &Path) -> (Self, Option<Node<'a>>) {
        let file = Arc::new(path.to_path_buf());
        let reader = Reader {
            src: Source::new(text, file.clone()),
            diags: RefCell::new(Vec::new()),
        };
        let root = match yaml_value::load(text, &file) {
            Ok(root) => root.filter(|r| !yaml_value::is_null(r)),
            Err(d) => {
                reader.push(d);
                None
            }
        };
        if root.is_none() && !reader.has_errors() {
            reader.push(Diagnostic::error(
                Location::new(file, 1, 1),
                "the file is empty",
            ));
        }
        (reader, root)
    }

    fn push(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// True once something was found wrong.
    pub fn has_errors(&self) -> bool {
        !self.diags.borrow().is_empty()
    }

    /// Everything found wrong, in reading order.
    pub fn into_diags(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }

    /// Where `node` starts.
    pub fn at(&self, node: &Node) -> Location {
        self.src.at(node)
    }

    /// Records an error at `node`.
    pub fn error(&self, node: &Node, message: impl Into<String>) {
        self.push(Diagnostic::error(self.at(node), message));
    }

    /// Records an error at `at`.
    pub fn error_at(&self, at: Location, message: impl Into<String>) {
        self.push(Diagnostic::error(at, message));
    }

    /// The node as a mapping of known keys; unknown keys (typos) are errors.
    pub fn fields<'n, 'y>(
        &self,
        node: &'n Node<'y>,
        what: &str,
        known: &[&str],
    ) -> Option<Fields<'n, 'y>> {
        let Some(map) = node.data.as_mapping() else {
            self.error(
                node,
                format!("{what} must be a mapping, not {}", yaml_value::kind(node)),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let name = yaml_value::scalar_text(key)
                .unwrap_or_default()
                .into_owned();
            if !known.contains(&name.as_str()) {
                self.error(
                    key,
                    format!(
                        "unknown key `{name}` in {what}; expected one of: {}",
                        known.join(", ")
                    ),
                );
            }
            entries.push((name, key, value));
        }
        Some(Fields {
            node,
            what: what.to_owned(),
            entries,
        })
    }

    /// The node's `(key, value)` entries, keys as text; `None` (with an error) if it is
    /// not a mapping.
    pub fn entries<'n, 'y>(
        &self,
        node: &'n Node<'y>,
        what: &str,
    ) -> Option<Vec<(String, &'n Node<'y>, &'n Node<'y>)>> {
        let Some(map) = node.data.as_mapping() else {
            self.error(
                node,
                format!("{what} must be a mapping, not {}", yaml_value::kind(node)),
            );
            return None;
        };
        Some(
            map.iter()
                .map(|(k, v)| {
                    let name = yaml_value::scalar_text(k).unwrap_or_default().into_owned();
                    (name, k, v)
                })
                .collect(),
        )
    }

    /// The node as a list; null is the empty list.
    pub fn list<'n, 'y>(&self, node: &'n Node<'y>, what: &str) -> Vec<&'n Node<'y>> {
        if yaml_value::is_null(node) {
            return Vec::new();
        }
        match node.data.as_sequence() {
            Some(items) => items.iter().collect(),
            None => {
                self.error(
                    node,
                    format!("{what} must be a list, not {}", yaml_value::kind(node)),
                );
                Vec::new()
            }
        }
    }

    /// A non-empty text (numbers are read as their text).
    pub fn text(&self, node: &Node, what: &str) -> Option<String> {
        match yaml_value::scalar_text(node) {
            Some(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            Some(_) => {
                self.error(node, format!("{what} must not be empty"));
                None
            }
            None => {
                // `Evite sol: use protetor` reads as a mapping in YAML.
                let hint = if node.data.as_mapping().is_some() {
                    " (put a text that contains `: ` in quotes)"
                } else {
                    ""
                };
                self.error(
                    node,
                    format!(
                        "{what} must be a text, not {}{hint}",
                        yaml_value::kind(node)
                    ),
                );
                None
            }
        }
    }

    /// A list of non-empty texts, each with its location.
    pub fn texts(&self, node: &Node, what: &str) -> Vec<(String, Location)> {
        let items = self.list(node, what);
        items
            .into_iter()
            .filter_map(|item| {
                let text = self.text(item, &format!("each item of {what}"))?;
                Some((text, self.at(item)))
            })
            .collect()
    }

    /// A whole number ≥ `min`.
    pub fn count(&self, node: &Node, what: &str, min: u32) -> Option<u32> {
        let text = yaml_value::scalar_text(node).unwrap_or_default();
        match text.trim().parse::<u32>() {
            Ok(n) if n >= min => Some(n),
            _ => {
                self.error(
                    node,
                    format!("{what} must be a whole number ≥ {min}, not `{text}`"),
                );
                None
            }
        }
    }

    /// An amount in reais (`1200`, `89.90`); negative amounts are errors.
    pub fn money(&self, node: &Node, what: &str) -> Option<Money> {
        let text = yaml_value::scalar_text(node).unwrap_or_default();
        let parsed = Money::parse_reais(&text);
        if parsed.is_none() {
            let why = if text.trim_start().starts_with('-') {
                "must not be negative"
            } else {
                "must be an amount in reais such as 1200 or 89.90"
            };
            self.error(node, format!("{what} {why}, not `{text}`"));
        }
        parsed
    }

    /// A percentage from 0 to 100 (`10`, `7.5`).
    pub fn percent(&self, node: &Node, what: &str) -> Option<Percent> {
        let text = yaml_value::scalar_text(node).unwrap_or_default();
        let parsed = Percent::parse(&text);
        if parsed.is_none() {
            self.error(
                node,
                format!("{what} must be a percentage from 0 to 100, not `{text}`"),
            );
        }
        parsed
    }

    /// A calendar date `YYYY-MM-DD`.
    pub fn date(&self, node: &Node, what: &str) -> Option<Date> {
        let text = yaml_value::scalar_text(node).unwrap_or_default();
        let parsed = text.trim().parse::<Date>().ok();
        if parsed.is_none() {
            self.error(
                node,
                format!("{what} must be a date YYYY-MM-DD, not `{text}`"),
            );
        }
        parsed
    }

    /// A time-of-day range `HH:MM-HH:MM` with start before end.
    pub fn time_range(&self, node: &Node, what: &str) -> Option<TimeRange> {
        let text = yaml_value::scalar_text(node).unwrap_or_default();
        let parsed = text.split_once('-').and_then(|(a, b)| {
            let (start, end) = (parse_time(a)?, parse_time(b)?);
            Some(TimeRange { start, end })
        });
        match parsed {
            Some(range) if range.start < range.end => Some(range),
            Some(_) => {
                self.error(node, format!("{what} `{text}` must start before it ends"));
                None
            }
            None => {
                self.error(
                    node,
                    format!("{what} must be a time range such as 09:00-12:00, not `{text}`"),
                );
                None
            }
        }
    }
}

/// Reads a whole file; a read failure is an error diagnostic at its first line.
pub(crate) fn read_file(path: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(path).map_err(|e| {
        let at = Location::new(Arc::new(path.to_path_buf()), 1, 1);
        vec![Diagnostic::error(at, format!("cannot read the file: {e}"))]
    })
}

/// `9:00`, `09:00`, `18:30` (24-hour clock).
fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

/// A mapping's entries, read by key.
pub(crate) struct Fields<'n, 'a> {
    node: &'n Node<'a>,
    what: String,
    entries: Vec<(String, &'n Node<'a>, &'n Node<'a>)>,
}

impl<'n, 'a> Fields<'n, 'a> {
    /// The value of `key`, if present and not null.
    pub fn get(&self, key: &str) -> Option<&'n Node<'a>> {
        self.entries
            .iter()
            .find(|(k, _, v)| k == key && !yaml_value::is_null(v))
            .map(|(_, _, v)| *v)
    }

    /// The value of `key`; an error at the mapping when it is missing.
    pub fn require(&self, r: &Reader, key: &str) -> Option<&'n Node<'a>> {
        let value = self.get(key);
        if value.is_none() {
            r.error(self.node, format!("{} needs `{key}`", self.what));
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(yaml: &str, f: impl FnOnce(&Reader, &Node) -> T) -> (T, Vec<Diagnostic>) {
        let (r, root) = Reader::parse(yaml, Path::new("t.yml"));
        let root = root.expect("a document");
        let value = f(&r, &root);
        (value, r.into_diags())
    }

    #[test]
    fn unknown_and_missing_keys_are_located() {
        let (_, diags) = read("a: 1\nprcie: 2\n", |r, root| {
            let fields = r.fields(root, "a procedure", &["a", "price"])?;
            fields.require(r, "price").map(|_| ())
        });
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].starts_with("t.yml:2:1: error: unknown key `prcie`"),
            "{shown:?}"
        );
        assert!(shown[1].contains("a procedure needs `price`"), "{shown:?}");
    }

    #[test]
    fn time_ranges_must_be_ordered() {
        let (range, diags) = read("x: 12:00-09:00\n", |r, root| {
            let v = r.fields(root, "t", &["x"])?.get("x")?;
            r.time_range(v, "opening hours")
        });
        assert_eq!(range, None);
        assert_eq!((diags[0].location.line, diags[0].location.column), (1, 4));
        assert!(diags[0].message.contains("must start before it ends"));
    }

    #[test]
    fn negative_money_is_refused() {
        let (m, diags) = read("p: -10\n", |r, root| {
            let v = r.fields(root, "t", &["p"])?.get("p")?;
            r.money(v, "`price.from`")
        });
        assert_eq!(m, None);
        assert!(
            diags[0].message.contains("must not be negative"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn a_text_read_as_a_mapping_gets_a_hint() {
        let (_, diags) = read("- Evite sol: use protetor\n", |r, root| {
            r.texts(root, "`aftercare`")
        });
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0]
                .message
                .ends_with("(put a text that contains `: ` in quotes)"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn times_need_two_digit_minutes() {
        assert_eq!(parse_time("9:00"), Some(Time::constant(9, 0, 0, 0)));
        assert_eq!(parse_time("09:5"), None);
        assert_eq!(parse_time("24:00"), None);
    }

    #[test]
    fn empty_file_is_an_error() {
        let (r, root) = Reader::parse("# nothing\n", Path::new("t.yml"));
        assert!(root.is_none());
        assert_eq!(r.into_diags().len(), 1);
    }
}
