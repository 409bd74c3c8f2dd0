//! The procedure catalogue (`catalogue.yml`): what the clinic does, for how long, for how
//! much, for whom not, and the words patients use for it all.

mod conflicts;
mod load;
#[cfg(test)]
mod tests;

pub use load::CATALOGUE_FILE;
pub(crate) use load::{CatalogueRead, read};

use crate::ids::{BodyAreaId, ConcernId, ConditionId, ProcedureId};
use crate::money::Money;
use bela_engine::data::Synonym;
use bela_engine::names::EntityName;

/// The whole catalogue, in file order.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// The procedures offered.
    pub procedures: Vec<Procedure>,
    /// Health conditions asked about in screening.
    pub conditions: Vec<Term<ConditionId>>,
    /// Complaints procedures treat.
    pub concerns: Vec<Term<ConcernId>>,
    /// Body areas procedures treat.
    pub body_areas: Vec<Term<BodyAreaId>>,
}

/// One procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// Canonical id: the `procedure` entity value.
    pub id: ProcedureId,
    /// Name shown to patients (`Toxina botulínica (Botox)`).
    pub name: String,
    /// What it is and how it works, in a few sentences.
    pub description: String,
    /// Length of one session, in minutes.
    pub duration_minutes: u32,
    /// Price of one session (or unit).
    pub price: Price,
    /// Sessions usually needed.
    pub sessions: u32,
    /// Days between sessions, when more than one.
    pub session_interval_days: Option<u32>,
    /// Recovery in a sentence (swelling, redness...).
    pub recovery: String,
    /// Days away from usual activities.
    pub downtime_days: u32,
    /// Care after the session.
    pub aftercare: Vec<String>,
    /// Conditions that rule the procedure out.
    pub contraindications: Vec<ConditionId>,
    /// Complaints it treats, most typical first.
    pub concerns: Vec<ConcernId>,
    /// Body areas it treats.
    pub body_areas: Vec<BodyAreaId>,
    /// Other names and slang (`btx`, `botoks`).
    pub synonyms: Vec<String>,
    /// Before/after photo URLs.
    pub media: Vec<String>,
}

/// A price: exact, or a range quoted "a partir de" its lower end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// Lowest (or only) price.
    pub from: Money,
    /// Highest price, when it varies.
    pub to: Option<Money>,
    /// What the price is for (`por sessão`, `por seringa`).
    pub unit: String,
}

impl Price {
    /// True when the price is a range (quotes say "a partir de").
    pub fn is_range(&self) -> bool {
        self.to.is_some_and(|to| to != self.from)
    }
}

/// A named value of an entity (condition, concern, body area) with its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term<Id> {
    /// Canonical id: the entity value.
    pub id: Id,
    /// pt-BR name used in replies (`gestação`, `rugas`).
    pub label: String,
    /// The screening question (conditions only; required there).
    pub question: Option<String>,
    /// Other words patients use (`grávida`, `pé de galinha`).
    pub synonyms: Vec<String>,
}

/// One synonym for the NLU: text as written, the canonical value, the entity.
pub type SynonymEntry = (String, String, EntityName);

impl Catalogue {
    /// The procedure with this id.
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id.as_str() == id)
    }

    /// The condition with this id.
    pub fn condition(&self, id: &str) -> Option<&Term<ConditionId>> {
        self.conditions.iter().find(|c| c.id.as_str() == id)
    }

    /// The concern with this id.
    pub fn concern(&self, id: &str) -> Option<&Term<ConcernId>> {
        self.concerns.iter().find(|c| c.id.as_str() == id)
    }

    /// The body area with this id.
    pub fn body_area(&self, id: &str) -> Option<&Term<BodyAreaId>> {
        self.body_areas.iter().find(|c| c.id.as_str() == id)
    }

    /// Every synonym of the catalogue for entity normalisation: procedure names and
    /// synonyms (`procedure`), condition / concern / body-area labels and synonyms
    /// (`condition`, `concern`, `body_area`). Texts equal to their id are left out.
    pub fn synonyms(&self) -> Vec<SynonymEntry> {
        let mut out = Vec::new();
        let mut push = |entity: &str, id: &str, texts: &mut dyn Iterator<Item = &String>| {
            for text in texts {
                if text != id {
                    out.push((text.clone(), id.to_owned(), EntityName::new(entity)));
                }
            }
        };
        for p in &self.procedures {
            push(
                "procedure",
                p.id.as_str(),
                &mut std::iter::once(&p.name).chain(&p.synonyms),
            );
        }
        for t in &self.conditions {
            push("condition", t.id.as_str(), &mut term_words(t));
        }
        for t in &self.concerns {
            push("concern", t.id.as_str(), &mut term_words(t));
        }
        for t in &self.body_areas {
            push("body_area", t.id.as_str(), &mut term_words(t));
        }
        out
    }

    /// The same synonyms grouped by value, as the engine's training data holds them
    /// (Rasa's `synonym:` blocks), to merge into `TrainingData::synonyms`.
    pub fn training_synonyms(&self) -> Vec<Synonym> {
        let mut out: Vec<Synonym> = Vec::new();
        for (text, value, _) in self.synonyms() {
            match out.iter_mut().find(|s| s.value == value) {
                Some(s) => s.examples.push(text),
                None => out.push(Synonym {
                    value,
                    examples: vec![text],
                    location: None,
                }),
            }
        }
        out
    }

    /// The conditions to ask about before `procedure` (its contraindications, with their
    /// questions), or `None` for an unknown procedure.
    pub fn screening(&self, procedure: &str) -> Option<Vec<&Term<ConditionId>>> {
        let p = self.procedure(procedure)?;
        Some(
            p.contraindications
                .iter()
                .filter_map(|c| self.condition(c.as_str()))
                .collect(),
        )
    }
}

fn term_words<Id>(t: &Term<Id>) -> impl Iterator<Item = &String> {
    std::iter::once(&t.label).chain(&t.synonyms)
}
