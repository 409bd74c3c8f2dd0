//! `action_quote`: an itemised quote for the procedures asked about, with the voucher
//! given, as [`Quote::to_text`] writes it.
//!
//! Each procedure is quoted for the sessions it usually needs (the catalogue's
//! `sessions`), since that is what the patient will pay and what package rules such as
//! "10 sessions or more" look at. No slot is set: the total is in the text, and a
//! `quote_total` slot would go stale as soon as the patient asks about another
//! procedure.

use super::inputs::{clinic_now, say, values};
use super::lookup::{lookup, names, not_in_catalogue};
use crate::ClinicData;
use crate::calendar::Calendar;
use crate::quote::{QuoteError, QuoteItem, VoucherUse, quote};
use bela_engine::dialogue::actions::{Action, ActionContext, ActionError, ActionResult, BoxFuture};
use std::sync::Arc;

/// Quotes the latest message's `procedure` entities (or the `procedure` slot) with the
/// `voucher` entity (or slot).
pub struct QuoteAction {
    data: Arc<ClinicData>,
    bookings: Arc<dyn Calendar>,
}

impl QuoteAction {
    /// The action's name in the domain.
    pub const NAME: &'static str = "action_quote";

    /// The action over the clinic's data; `bookings` counts voucher uses.
    pub fn new(data: Arc<ClinicData>, bookings: Arc<dyn Calendar>) -> Self {
        Self { data, bookings }
    }

    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let ClinicData { config, catalogue } = &*self.data;
        let asked = values(ctx.tracker, "procedure");
        let (known, unknown) = lookup(catalogue, asked);
        let items: Vec<QuoteItem> = known
            .into_iter()
            .map(|p| QuoteItem {
                procedure: p.id.clone(),
                sessions: p.sessions.max(1),
            })
            .collect();
        let voucher =
            match values(ctx.tracker, "voucher").into_iter().next() {
                Some(code) => {
                    let code = code.trim().to_uppercase();
                    let times_used = self.bookings.voucher_uses(&code).await.map_err(|e| {
                        ActionError::Failed {
                            action: Self::NAME.into(),
                            reason: e.to_string(),
                        }
                    })?;
                    Some(VoucherUse { code, times_used })
                }
                None => None,
            };
        let today = clinic_now(ctx.now, &config.time_zone).date();
        let mut result = match quote(config, catalogue, &items, voucher.as_ref(), today) {
            Ok(q) => say(q.to_text()),
            Err(QuoteError::Empty) if unknown.is_empty() => say(format!(
                "De quais procedimentos você quer o orçamento? Trabalhamos com: {}.",
                names(catalogue)
            )),
            Err(QuoteError::Empty) => ActionResult::default(),
            // The items come from the catalogue with at least one session each.
            Err(e) => {
                return Err(ActionError::Failed {
                    action: Self::NAME.into(),
                    reason: e.to_string(),
                });
            }
        };
        if !unknown.is_empty() {
            result.replies.push(not_in_catalogue(catalogue, &unknown));
        }
        Ok(result)
    }
}

impl Action for QuoteAction {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(self.answer(ctx))
    }
}
