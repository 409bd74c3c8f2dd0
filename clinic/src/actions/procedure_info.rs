//! `action_procedure_info`: what a procedure is, how long it takes, what it costs, how
//! many sessions and what recovery is like.

use super::inputs::{say, values};
use crate::ClinicData;
use crate::catalogue::{Catalogue, Procedure};
use crate::words::join_pt;
use bela_engine::dialogue::actions::{
    Action, ActionContext, ActionError, ActionResult, BoxFuture, Reply,
};
use std::fmt::Write;
use std::sync::Arc;

/// Describes the procedures of the latest message's `procedure` entities, or of the
/// `procedure` slot.
pub struct ProcedureInfo {
    data: Arc<ClinicData>,
}

impl ProcedureInfo {
    /// The action's name in the domain.
    pub const NAME: &'static str = "action_procedure_info";

    /// The action over the clinic's data.
    pub fn new(data: Arc<ClinicData>) -> Self {
        Self { data }
    }

    fn answer(&self, ctx: &ActionContext<'_>) -> ActionResult {
        let catalogue = &self.data.catalogue;
        let asked = values(ctx.tracker, "procedure");
        if asked.is_empty() {
            return say(format!(
                "Sobre qual procedimento você quer saber? Trabalhamos com: {}.",
                names(catalogue)
            ));
        }
        let (known, unknown): (Vec<_>, Vec<_>) = asked
            .iter()
            .map(|id| (id, catalogue.procedure(id)))
            .partition(|(_, p)| p.is_some());
        let mut result = ActionResult::default();
        for p in known.into_iter().filter_map(|(_, p)| p) {
            result.replies.push(Reply::text(describe(p)));
        }
        if !unknown.is_empty() {
            let unknown: Vec<String> = unknown.into_iter().map(|(id, _)| id.clone()).collect();
            result.replies.push(not_in_catalogue(catalogue, &unknown));
        }
        result
    }
}

impl Action for ProcedureInfo {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(async move { Ok(self.answer(ctx)) })
    }
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

/// The pt-BR description of `p`.
fn describe(p: &Procedure) -> String {
    let mut out = format!("*{}*\n{}\n", p.name, p.description);
    let _ = writeln!(out, "Duração: {} minutos por sessão.", p.duration_minutes);
    let price = match p.price.to.filter(|_| p.price.is_range()) {
        Some(to) => format!("de {} a {to}", p.price.from),
        None => p.price.from.to_string(),
    };
    let _ = writeln!(out, "Valor: {price} {}.", p.price.unit);
    let _ = match (p.sessions, p.session_interval_days) {
        (1, _) => writeln!(out, "Sessões: normalmente 1."),
        (n, Some(days)) => writeln!(out, "Sessões: normalmente {n}, a cada {days} dias."),
        (n, None) => writeln!(out, "Sessões: normalmente {n}."),
    };
    let _ = write!(out, "Recuperação: {}", p.recovery);
    match p.downtime_days {
        0 => {}
        1 => out.push_str(" Afastamento de 1 dia."),
        n => {
            let _ = write!(out, " Afastamento de {n} dias.");
        }
    }
    out
}
