//! Reading `catalogue.yml` into a [`Catalogue`], with located errors and cross-checks
//! (unknown ids, prices out of order, one synonym for two values).

use super::*;
use crate::reader::{Fields, Node, Reader, read_file};
use bela_engine::data::{Diagnostic, Location};
use bela_engine::text::fold;
use std::collections::HashMap;
use std::path::Path;

/// The catalogue's file name in the project root.
pub const CATALOGUE_FILE: &str = "catalogue.yml";

const TOP_KEYS: &[&str] = &["conditions", "concerns", "body_areas", "procedures"];
const TERM_KEYS: &[&str] = &["label", "question", "synonyms"];
const PROCEDURE_KEYS: &[&str] = &[
    "name",
    "description",
    "duration_minutes",
    "price",
    "sessions",
    "session_interval_days",
    "recovery",
    "downtime_days",
    "aftercare",
    "contraindications",
    "concerns",
    "body_areas",
    "synonyms",
    "media",
];

/// Texts with where they were written.
type Located = Vec<(String, Location)>;

/// Ids a procedure names, checked once every term is known.
#[derive(Default)]
struct Refs {
    durations: Vec<(ProcedureId, Location)>,
    conditions: Vec<(String, Location)>,
    concerns: Vec<(String, Location)>,
    body_areas: Vec<(String, Location)>,
}

/// Where each synonym was written, to report one text given to two values.
type Words = Vec<(&'static str, String, String, Location)>;

impl Catalogue {
    /// Reads and checks `catalogue.yml` at `path`.
    pub fn load(path: &Path) -> Result<Catalogue, Vec<Diagnostic>> {
        read(&read_file(path)?, path).map(|r| r.catalogue)
    }

    /// Reads and checks a catalogue text (`path` names it in diagnostics).
    pub fn parse(text: &str, path: &Path) -> Result<Catalogue, Vec<Diagnostic>> {
        read(text, path).map(|r| r.catalogue)
    }
}

/// A catalogue with where each procedure's duration was written, for the checks against
/// the opening hours.
pub(crate) struct CatalogueRead {
    pub catalogue: Catalogue,
    pub durations: Vec<(ProcedureId, Location)>,
}

/// Reads a catalogue; every problem found is returned, not just the first.
pub(crate) fn read(text: &str, path: &Path) -> Result<CatalogueRead, Vec<Diagnostic>> {
    let (r, root) = Reader::parse(text, path);
    let mut refs = Refs::default();
    let mut words = Words::new();
    let catalogue = root.and_then(|root| {
        let f = r.fields(&root, "the catalogue", TOP_KEYS)?;
        let terms = |r: &Reader, key: &'static str, words: &mut Words| {
            f.require(r, key)
                .map(|n| terms(r, n, key, words))
                .unwrap_or_default()
        };
        let conditions = terms(&r, "conditions", &mut words);
        let concerns = terms(&r, "concerns", &mut words);
        let body_areas = terms(&r, "body_areas", &mut words);
        let procedures = f
            .require(&r, "procedures")
            .map(|n| procedures(&r, n, &mut refs, &mut words))
            .unwrap_or_default();
        Some(Catalogue {
            procedures,
            conditions: wrap(conditions, ConditionId::new),
            concerns: wrap(concerns, ConcernId::new),
            body_areas: wrap(body_areas, BodyAreaId::new),
        })
    });
    let Some(catalogue) = catalogue else {
        return Err(r.into_diags());
    };
    let durations = std::mem::take(&mut refs.durations);
    check_refs(&r, &catalogue, refs);
    check_words(&r, words);
    if r.has_errors() {
        Err(r.into_diags())
    } else {
        Ok(CatalogueRead {
            catalogue,
            durations,
        })
    }
}

fn wrap<Id>(terms: Vec<Term<String>>, id: impl Fn(String) -> Id) -> Vec<Term<Id>> {
    terms
        .into_iter()
        .map(|t| Term {
            id: id(t.id),
            label: t.label,
            question: t.question,
            synonyms: t.synonyms,
        })
        .collect()
}

/// A section of terms: `id: {label, question?, synonyms?}`.
fn terms(r: &Reader, node: &Node, entity: &'static str, words: &mut Words) -> Vec<Term<String>> {
    let entries = r.entries(node, &format!("`{entity}`")).unwrap_or_default();
    let mut out = Vec::new();
    for (id, key, value) in entries {
        let what = format!("{entity} `{id}`");
        let Some(f) = r.fields(value, &what, TERM_KEYS) else {
            continue;
        };
        let Some(label) = f.require(r, "label").and_then(|n| r.text(n, "`label`")) else {
            continue;
        };
        let question = f.get("question").and_then(|n| r.text(n, "`question`"));
        if entity == "conditions" && question.is_none() {
            r.error(value, format!("{what} needs a screening `question`"));
        }
        let synonyms = synonyms(r, &f, entity, &id, words);
        words.push((entity, fold(&label), id.clone(), r.at(key)));
        out.push(Term {
            id,
            label,
            question,
            synonyms,
        });
    }
    out
}

fn synonyms(
    r: &Reader,
    f: &Fields,
    entity: &'static str,
    id: &str,
    words: &mut Words,
) -> Vec<String> {
    let list = f
        .get("synonyms")
        .map(|n| r.texts(n, "`synonyms`"))
        .unwrap_or_default();
    let mut out = Vec::with_capacity(list.len());
    for (text, at) in list {
        words.push((entity, fold(&text), id.to_owned(), at));
        out.push(text);
    }
    out
}

fn procedures(r: &Reader, node: &Node, refs: &mut Refs, words: &mut Words) -> Vec<Procedure> {
    let entries = r.entries(node, "`procedures`").unwrap_or_default();
    entries
        .into_iter()
        .filter_map(|(id, key, value)| {
            let f = r.fields(value, &format!("procedure `{id}`"), PROCEDURE_KEYS)?;
            let p = procedure(r, &id, &f, refs, words);
            words.push(("procedures", fold(&id), id.clone(), r.at(key)));
            p
        })
        .collect()
}

fn procedure(
    r: &Reader,
    id: &str,
    f: &Fields,
    refs: &mut Refs,
    words: &mut Words,
) -> Option<Procedure> {
    let text = |r: &Reader, key: &str| {
        f.require(r, key)
            .and_then(|n| r.text(n, &format!("`{key}`")))
    };
    let count = |r: &Reader, key: &str, min: u32| {
        f.get(key)
            .and_then(|n| r.count(n, &format!("`{key}`"), min))
    };
    let ids = |r: &Reader, key: &str, into: &mut Vec<(String, Location)>| {
        let list = f
            .get(key)
            .map(|n| r.texts(n, &format!("`{key}`")))
            .unwrap_or_default();
        into.extend(list.iter().cloned());
        list.into_iter().map(|(t, _)| t).collect::<Vec<_>>()
    };
    let name = text(r, "name");
    let description = text(r, "description");
    let recovery = text(r, "recovery");
    let duration_node = f.require(r, "duration_minutes");
    let duration = duration_node.and_then(|n| r.count(n, "`duration_minutes`", 5));
    if let Some(n) = duration_node {
        refs.durations.push((ProcedureId::new(id), r.at(n)));
    }
    let price = f.require(r, "price").and_then(|n| price(r, n));
    let contraindications = ids(r, "contraindications", &mut refs.conditions);
    let concerns = ids(r, "concerns", &mut refs.concerns);
    let body_areas = ids(r, "body_areas", &mut refs.body_areas);
    let media = f
        .get("media")
        .map(|n| r.texts(n, "`media`"))
        .unwrap_or_default();
    for (url, at) in &media {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            r.error_at(at.clone(), format!("media `{url}` must be an http(s) URL"));
        }
    }
    let aftercare = f
        .get("aftercare")
        .map(|n| r.texts(n, "`aftercare`"))
        .unwrap_or_default();
    let synonyms = synonyms(r, f, "procedures", id, words);
    let (name, description, recovery, duration, price) =
        (name?, description?, recovery?, duration?, price?);
    if let Some(node) = f.get("name")
        && fold(&name) != fold(id)
    {
        words.push(("procedures", fold(&name), id.to_owned(), r.at(node)));
    }
    Some(Procedure {
        id: ProcedureId::new(id),
        name,
        description,
        duration_minutes: duration,
        price,
        sessions: count(r, "sessions", 1).unwrap_or(1),
        session_interval_days: count(r, "session_interval_days", 1),
        recovery,
        downtime_days: count(r, "downtime_days", 0).unwrap_or(0),
        aftercare: aftercare.into_iter().map(|(t, _)| t).collect(),
        contraindications: contraindications
            .into_iter()
            .map(ConditionId::new)
            .collect(),
        concerns: concerns.into_iter().map(ConcernId::new).collect(),
        body_areas: body_areas.into_iter().map(BodyAreaId::new).collect(),
        synonyms,
        media: media.into_iter().map(|(t, _)| t).collect(),
    })
}

fn price(r: &Reader, node: &Node) -> Option<Price> {
    let f = r.fields(node, "`price`", &["from", "to", "unit"])?;
    let from = r.money(f.require(r, "from")?, "`price.from`")?;
    let to_node = f.get("to");
    let to = match to_node {
        Some(n) => Some(r.money(n, "`price.to`")?),
        None => None,
    };
    if let (Some(to), Some(n)) = (to, to_node)
        && to < from
    {
        r.error(
            n,
            format!("`price.to` ({to}) is below `price.from` ({from})"),
        );
    }
    let unit = r.text(f.require(r, "unit")?, "`price.unit`")?;
    Some(Price { from, to, unit })
}

fn check_refs(r: &Reader, c: &Catalogue, refs: Refs) {
    let sections: [(&str, Located, Vec<&str>); 3] = [
        (
            "condition",
            refs.conditions,
            c.conditions.iter().map(|t| t.id.as_str()).collect(),
        ),
        (
            "concern",
            refs.concerns,
            c.concerns.iter().map(|t| t.id.as_str()).collect(),
        ),
        (
            "body area",
            refs.body_areas,
            c.body_areas.iter().map(|t| t.id.as_str()).collect(),
        ),
    ];
    for (what, used, known) in sections {
        for (id, at) in used {
            if !known.contains(&id.as_str()) {
                r.error_at(
                    at,
                    format!("unknown {what} `{id}`; known: {}", known.join(", ")),
                );
            }
        }
    }
}

/// One folded text naming two values makes normalisation ambiguous, across sections too:
/// Rasa's synonym mapper replaces a text by its value whatever the entity.
fn check_words(r: &Reader, words: Words) {
    let mut seen: HashMap<String, (&str, String, Location)> = HashMap::new();
    for (section, text, id, at) in words {
        match seen.get(&text) {
            Some((first_section, other, first)) if *other != id => r.error_at(
                at,
                format!(
                    "`{text}` names both `{other}` in {first_section} (at {first}) and `{id}` in \
                     {section}; a text can stand for one value only"
                ),
            ),
            Some(_) => {}
            None => {
                seen.insert(text, (section, id, at));
            }
        }
    }
}
