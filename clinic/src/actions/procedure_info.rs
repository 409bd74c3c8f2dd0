//! `action_procedure_info`: what a procedure is, how long it takes, what it costs, how
//! many sessions and what recovery is like.

use super::inputs::{say, values};
use super::lookup::{lookup, names, not_in_catalogue};
use crate::ClinicData;
use crate::catalogue::Procedure;
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
        let (known, unknown) = lookup(catalogue, asked);
        let mut result = ActionResult::default();
        result
            .replies
            .extend(known.into_iter().map(|p| Reply::text(describe(p))));
        if !unknown.is_empty() {
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
