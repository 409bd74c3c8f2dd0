//! Procedures the patient named, looked up in the catalogue, and what to say about the
//! names it does not have.

use crate::catalogue::{Catalogue, Procedure};
use crate::words::join_pt;
use bela_engine::dialogue::actions::Reply;

/// The procedures of `asked` found in the catalogue, and the ids it does not have, both
/// in the order asked.
pub(super) fn lookup(catalogue: &Catalogue, asked: Vec<String>) -> (Vec<&Procedure>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for id in asked {
        match catalogue.procedure(&id) {
            Some(p) => known.push(p),
            None => unknown.push(id),
        }
    }
    (known, unknown)
}

/// Says that `unknown` are not procedures of the catalogue, and lists those that are.
pub(super) fn not_in_catalogue(catalogue: &Catalogue, unknown: &[String]) -> Reply {
    Reply::text(format!(
        "Não encontrei {} no nosso catálogo. Trabalhamos com: {}.",
        join_pt(unknown),
        names(catalogue)
    ))
}

/// The catalogue's procedure names, "a, b e c".
pub(super) fn names(catalogue: &Catalogue) -> String {
    let names: Vec<String> = catalogue
        .procedures
        .iter()
        .map(|p| p.name.clone())
        .collect();
    join_pt(&names)
}
