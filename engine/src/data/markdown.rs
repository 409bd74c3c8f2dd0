//! Rasa 1.x/0.x NLU training data in Markdown: `## intent:name`, `## synonym:name`,
//! `## regex:name` and `## lookup:name` sections of `- ` list items, `<!-- -->`
//! comments, and lookup sections that name a file instead of listing elements.

use super::{
    Diagnostic, Example, Location, LookupTable, RegexPattern, Synonym, TrainingData, lookup_file,
    markup,
};
use crate::names::IntentName;
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The section headers that make a Markdown file NLU data (Rasa's own test).
const SECTION_MARKERS: &[&str] = &["## intent:", "## synonym:", "## regex:", "## lookup:"];

/// Reads a Markdown NLU file. Only I/O failures are errors; problems in the data are
/// returned as diagnostics.
pub fn read(path: &Path) -> Result<(TrainingData, Vec<Diagnostic>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(parse(&text, path))
}

/// True when `text` has an NLU section header; Markdown stories and READMEs do not.
pub fn is_nlu(text: &str) -> bool {
    SECTION_MARKERS.iter().any(|m| text.contains(m))
}

/// Parses Markdown NLU `text`; `path` names the file in diagnostics and anchors lookup
/// table files.
pub fn parse(text: &str, path: &Path) -> (TrainingData, Vec<Diagnostic>) {
    let file = Arc::new(path.to_path_buf());
    let mut diags = Vec::new();
    let text = blank_comments(text, &file, &mut diags);
    let mut reader = Reader {
        file,
        path,
        data: TrainingData::default(),
        diags,
        section: None,
    };
    for (i, line) in text.lines().enumerate() {
        reader.line(i + 1, line);
    }
    reader.close_section();
    (reader.data, reader.diags)
}

/// Replaces every comment character but line breaks with a space, so lines and columns
/// of the rest stay where they were.
pub(crate) fn blank_comments(
    text: &str,
    file: &Arc<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let comment_and_after = &rest[open..];
        let (comment, after) = match comment_and_after[4..].find("-->") {
            Some(close) => comment_and_after.split_at(4 + close + 3),
            None => {
                let line = out.matches('\n').count() + 1;
                let column = out.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                diags.push(Diagnostic::error(
                    Location::new(file.clone(), line, column),
                    "unclosed comment: `<!--` without `-->`",
                ));
                (comment_and_after, "")
            }
        };
        out.extend(comment.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The section being read.
enum Section {
    Intent {
        name: IntentName,
        at: Location,
        count: usize,
    },
    Synonym(Synonym),
    Regex(RegexPattern),
    Lookup(LookupTable),
}

struct Reader<'a> {
    file: Arc<PathBuf>,
    path: &'a Path,
    data: TrainingData,
    diags: Vec<Diagnostic>,
    section: Option<Section>,
}

impl Reader<'_> {
    fn at(&self, line: usize, column: usize) -> Location {
        Location::new(self.file.clone(), line, column + 1)
    }

    fn line(&mut self, n: usize, raw: &str) {
        let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
        let line = raw.trim();
        if let Some(header) = line.strip_prefix("##") {
            self.header(n, lead + 2, header);
        } else if let Some(item) = line.strip_prefix(['-', '*', '+']) {
            let skip = item.chars().take_while(|c| c.is_whitespace()).count();
            self.item(n, lead, 1 + skip, item.trim());
        } else if !line.is_empty() && !line.starts_with('#') {
            self.other_line(n, lead, line);
        }
    }

    /// `## type:title`; `offset` is the character column just after `##`.
    fn header(&mut self, n: usize, offset: usize, header: &str) {
        self.close_section();
        let Some((kind, title)) = header.split_once(':') else {
            self.diags.push(Diagnostic::error(
                self.at(n, offset - 2),
                format!(
                    "section header `##{header}` has no type; write `## intent:{}` (or synonym, regex, lookup)",
                    header.trim()
                ),
            ));
            return;
        };
        let title_col = offset
            + kind.chars().count()
            + 1
            + title.chars().take_while(|c| c.is_whitespace()).count();
        let at = self.at(n, title_col);
        let title = title.trim().to_owned();
        let kind = kind.trim();
        if title.is_empty() {
            self.diags
                .push(Diagnostic::error(at, format!("empty {kind} name")));
            return;
        }
        let location = Some(at.clone());
        self.section = Some(match kind {
            "intent" => Section::Intent {
                name: IntentName::new(title),
                at,
                count: 0,
            },
            "synonym" => Section::Synonym(Synonym {
                value: title,
                examples: Vec::new(),
                location,
            }),
            "regex" => Section::Regex(RegexPattern {
                name: title,
                patterns: Vec::new(),
                location,
            }),
            "lookup" => Section::Lookup(LookupTable {
                name: title,
                elements: Vec::new(),
                location,
            }),
            other => {
                let kind_col = offset + header.chars().take_while(|c| c.is_whitespace()).count();
                self.diags.push(Diagnostic::error(
                    self.at(n, kind_col),
                    format!("unknown section type `{other}`; expected `intent`, `synonym`, `regex` or `lookup`"),
                ));
                return;
            }
        });
    }

    /// A list item; `lead` is the column of the marker, `skip` the characters from the
    /// marker to the content.
    fn item(&mut self, n: usize, lead: usize, skip: usize, content: &str) {
        let at = self.at(n, lead);
        let Some(section) = &mut self.section else {
            self.diags.push(Diagnostic::warning(
                at,
                "list item outside any `## intent:` section is ignored",
            ));
            return;
        };
        if content.is_empty() {
            self.diags
                .push(Diagnostic::warning(at, "empty list item is skipped"));
            return;
        }
        let element = content.to_owned();
        match section {
            Section::Intent { name, count, .. } => {
                let locate = |col: usize| at.shifted(skip + col);
                if let Some(m) = markup::parse_reporting(content, locate, &mut self.diags) {
                    *count += 1;
                    self.data.examples.push(Example {
                        text: m.text,
                        intent: name.clone(),
                        entities: m.entities,
                        metadata: None,
                        location: Some(at),
                    });
                }
            }
            Section::Synonym(s) => s.examples.push(element),
            Section::Regex(r) => r.patterns.push(element),
            Section::Lookup(l) => l.elements.push(element),
        }
    }

    /// A line that is neither a header nor a list item: a file path in a lookup
    /// section, else ignored (with a warning inside a section).
    fn other_line(&mut self, n: usize, lead: usize, line: &str) {
        let at = self.at(n, lead);
        match &mut self.section {
            Some(Section::Lookup(table)) => match lookup_file::read(line, self.path, &at) {
                Ok(elements) => table.elements.extend(elements),
                Err(d) => self.diags.push(d),
            },
            Some(_) => self.diags.push(Diagnostic::warning(
                at,
                format!("line `{line}` is not a list item (`- `) and is ignored"),
            )),
            None => {}
        }
    }

    fn close_section(&mut self) {
        match self.section.take() {
            Some(Section::Intent { name, at, count: 0 }) => self.diags.push(Diagnostic::warning(
                at,
                format!("intent `{name}` has no examples"),
            )),
            Some(Section::Intent { .. }) | None => {}
            Some(Section::Synonym(s)) => self.data.synonyms.push(s),
            Some(Section::Regex(r)) => self.data.regexes.push(r),
            Some(Section::Lookup(l)) => self.data.lookups.push(l),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Severity;

    fn parse_str(text: &str) -> (TrainingData, Vec<Diagnostic>) {
        parse(text, Path::new("nlu.md"))
    }

    const NLU: &str = "<!-- dados de treino
  do bot -->
## intent:saudar
- oi
* olá <!-- acentuado -->

## intent:agendar
- quero [botox](procedimento) [amanhã](data:2024-01-02)
- marcar [SP]{\"entity\": \"cidade\", \"role\": \"origem\"}

## synonym:botox
- btx
- toxina

## regex:cpf
- \\d{11}

## lookup:procedimento
- peeling
";

    #[test]
    fn reads_sections_items_and_comments() {
        let (data, diags) = parse_str(NLU);
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(&str, &str, usize)> = data
            .examples
            .iter()
            .map(|e| {
                (
                    e.intent.as_str(),
                    e.text.as_str(),
                    e.location.as_ref().map_or(0, |l| l.line),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("saudar", "oi", 4),
                ("saudar", "olá", 5),
                ("agendar", "quero botox amanhã", 8),
                ("agendar", "marcar SP", 9)
            ]
        );
        assert_eq!(data.examples[2].entities[1].value, "2024-01-02");
        assert_eq!(data.examples[3].entities[0].role.as_deref(), Some("origem"));
        assert_eq!(data.synonyms[0].value, "botox");
        assert_eq!(data.synonyms[0].examples, ["btx", "toxina"]);
        let loc = data.synonyms[0]
            .location
            .as_ref()
            .map(|l| (l.line, l.column));
        assert_eq!(loc, Some((11, 12)));
        assert_eq!(data.regexes[0].patterns, ["\\d{11}"]);
        assert_eq!(data.lookups[0].elements, ["peeling"]);
    }

    #[test]
    fn errors_are_located_and_collected() {
        let text = "- solto\n## intent:a\n-  oi [ana]{nome}\nnão é item\n## foo:b\n- x\n## intent\n## intent:vazio\n<!-- aberto";
        let (data, diags) = parse_str(text);
        assert!(data.examples.is_empty());
        let got: Vec<(Severity, usize, usize)> = diags
            .iter()
            .map(|d| (d.severity, d.location.line, d.location.column))
            .collect();
        assert_eq!(
            got,
            [
                (Severity::Error, 9, 1),
                (Severity::Warning, 1, 1),
                (Severity::Error, 3, 13),
                (Severity::Warning, 4, 1),
                (Severity::Warning, 2, 11),
                (Severity::Error, 5, 4),
                (Severity::Warning, 6, 1),
                (Severity::Error, 7, 1),
                (Severity::Warning, 8, 11),
            ],
            "{diags:#?}"
        );
        assert!(
            diags[2].message.contains("invalid JSON"),
            "{}",
            diags[2].message
        );
        assert!(diags[5].message.contains("unknown section type `foo`"));
    }

    #[test]
    fn lookup_section_may_name_a_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
        std::fs::write(dir.path().join("data/cidades.txt"), "Recife\nOlinda\n").expect("write");
        let path = dir.path().join("data/nlu.md");
        let (data, diags) = parse("## lookup:cidade\n  data/cidades.txt\n", &path);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(data.lookups[0].elements, ["Recife", "Olinda"]);
    }

    #[test]
    fn recognises_nlu_markdown() {
        assert!(is_nlu(NLU));
        assert!(!is_nlu("## happy path\n* greet\n  - utter_greet\n"));
    }
}
