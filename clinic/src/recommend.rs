//! Recommendations: from a patient's concerns and/or body areas, the catalogue's
//! procedures ranked, each with a one-line pt-BR reason; procedures contraindicated for
//! the patient's conditions are set aside, saying why.

use crate::catalogue::{Catalogue, Procedure};
use crate::ids::{BodyAreaId, ConcernId, ConditionId, ProcedureId};

/// A recommended procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommended {
    /// The procedure.
    pub procedure: ProcedureId,
    /// Higher is better: two points per concern treated, one per body area.
    pub score: u32,
    /// One pt-BR line: why it fits.
    pub reason: String,
}

/// A procedure that would fit but is contraindicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The procedure.
    pub procedure: ProcedureId,
    /// The patient's conditions that rule it out.
    pub conditions: Vec<ConditionId>,
    /// One pt-BR line saying so.
    pub reason: String,
}

/// The outcome of a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recommendation {
    /// Best first.
    pub ranked: Vec<Recommended>,
    /// Set aside after screening.
    pub excluded: Vec<Excluded>,
}

/// Ranks the procedures treating `concerns` / `body_areas`. When concerns are given, a
/// procedure must treat one of them (an area alone is not a reason to suggest it); ties
/// keep the catalogue's order.
pub fn recommend(
    catalogue: &Catalogue,
    concerns: &[ConcernId],
    body_areas: &[BodyAreaId],
    conditions: &[ConditionId],
) -> Recommendation {
    let mut out = Recommendation::default();
    for p in &catalogue.procedures {
        let treated: Vec<&ConcernId> = concerns.iter().filter(|c| p.concerns.contains(c)).collect();
        let areas: Vec<&BodyAreaId> = body_areas
            .iter()
            .filter(|a| p.body_areas.contains(a))
            .collect();
        if (!concerns.is_empty() && treated.is_empty()) || (treated.is_empty() && areas.is_empty())
        {
            continue;
        }
        let ruled_out: Vec<ConditionId> = conditions
            .iter()
            .filter(|c| p.contraindications.contains(c))
            .cloned()
            .collect();
        if !ruled_out.is_empty() {
            let labels = labels(
                ruled_out
                    .iter()
                    .map(|c| catalogue.condition(c.as_str()).map(|t| &t.label)),
            );
            out.excluded.push(Excluded {
                procedure: p.id.clone(),
                reason: format!("{} não é indicado em caso de {labels}.", p.name),
                conditions: ruled_out,
            });
            continue;
        }
        let score = u32::try_from(2 * treated.len() + areas.len()).unwrap_or(u32::MAX);
        out.ranked.push(Recommended {
            procedure: p.id.clone(),
            score,
            reason: reason(catalogue, p, &treated, &areas),
        });
    }
    // A stable sort keeps the catalogue's order among equals.
    out.ranked.sort_by_key(|r| std::cmp::Reverse(r.score));
    out
}

/// "Botox: trata rugas e linhas de expressão (testa); 1 sessão, a partir de R$ 900,00."
fn reason(
    catalogue: &Catalogue,
    p: &Procedure,
    concerns: &[&ConcernId],
    areas: &[&BodyAreaId],
) -> String {
    let what = labels(
        concerns
            .iter()
            .map(|c| catalogue.concern(c.as_str()).map(|t| &t.label)),
    );
    let where_ = labels(
        areas
            .iter()
            .map(|a| catalogue.body_area(a.as_str()).map(|t| &t.label)),
    );
    let treats = match (what.is_empty(), where_.is_empty()) {
        (false, false) => format!("trata {what} ({where_})"),
        (false, true) => format!("trata {what}"),
        _ => format!("atua na região: {where_}"),
    };
    let sessions = match p.sessions {
        1 => "1 sessão".to_owned(),
        n => format!("{n} sessões"),
    };
    let from = if p.price.is_range() {
        "a partir de "
    } else {
        ""
    };
    format!(
        "{}: {treats}; {sessions}, {from}{} {}.",
        p.name, p.price.from, p.price.unit
    )
}

/// "a, b e c" from the labels found.
fn labels<'a>(items: impl Iterator<Item = Option<&'a String>>) -> String {
    let items: Vec<String> = items.flatten().cloned().collect();
    crate::words::join_pt(&items)
}

#[cfg(test)]
mod tests;
