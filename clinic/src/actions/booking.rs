//! The end of the booking flow: `action_booking_summary` (after the booking form: the
//! summary to confirm, or why the procedure cannot be booked and the in-person
//! evaluation offered instead), `action_book_appointment` (after the patient confirmed:
//! stores the appointment, unless someone took the slot meanwhile) and
//! `action_reset_booking` (after the patient declined).

use super::bookable::bookable_slot;
use super::clinic::clinic_action;
use super::inputs::clinic_now;
use super::slots::{
    CONDITIONS, PERSON_NAME, PROCEDURE, SCREENING, Screening, TIME, TIME_WISH, VOUCHER,
};
use crate::ClinicData;
use crate::availability::short_label;
use crate::calendar::{CalendarError, Capacity, NewAppointment};
use crate::catalogue::Procedure;
use crate::quote::{QuoteItem, VoucherOutcome, VoucherUse, quote};
use crate::words::join_pt;
use bela_engine::dialogue::actions::{
    Action, ActionContext, ActionError, ActionResult, BoxFuture, Reply,
};
use bela_engine::dialogue::events::{Button, Event, EventKind};
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::ActionName;
use jiff::{SignedDuration, Zoned};
use serde_json::Value;

/// The in-person evaluation offered when a procedure cannot be booked.
const EVALUATION: &str = "avaliacao";
/// The form the booking flow returns to when something is missing.
const BOOKING_FORM: &str = "booking_form";

/// What the booking slots hold.
struct Draft<'d> {
    procedure: Option<&'d Procedure>,
    start: Option<Zoned>,
    name: Option<String>,
    screening: Option<Screening>,
}

impl<'d> Draft<'d> {
    fn of(data: &'d ClinicData, tracker: &Tracker) -> Self {
        let text = |name: &str| tracker.slot(name).and_then(Value::as_str);
        let tz = &data.config.time_zone;
        Self {
            procedure: text(PROCEDURE).and_then(|p| data.catalogue.procedure(p)),
            start: text(TIME)
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .map(|t| t.to_zoned(tz.clone())),
            name: text(PERSON_NAME).map(str::to_owned),
            screening: text(SCREENING).and_then(Screening::parse),
        }
    }
}

fn yes_no(text: String) -> Reply {
    let mut reply = Reply::text(text);
    reply.data.buttons = [("Sim", "/affirm"), ("Não", "/deny")]
        .into_iter()
        .map(|(title, payload)| Button {
            title: title.into(),
            payload: payload.into(),
            extra: serde_json::Map::new(),
        })
        .collect();
    reply
}

fn slot(name: &str, value: Value, now: f64) -> Event {
    Event::new(EventKind::slot(name, value), now)
}

fn reopen_form(now: f64) -> Event {
    Event::new(
        EventKind::Followup {
            name: ActionName::new(BOOKING_FORM),
        },
        now,
    )
}

clinic_action!(
    /// Summarises the booking for confirmation, or offers the evaluation instead.
    BookingSummary,
    "action_booking_summary"
);

impl BookingSummary {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        Ok(self.summarise(ctx))
    }

    fn summarise(&self, ctx: &ActionContext<'_>) -> ActionResult {
        let draft = Draft::of(&self.clinic.data, ctx.tracker);
        let Some(procedure) = draft.procedure else {
            return ActionResult::default();
        };
        let blocked = match draft.screening {
            Some(Screening::Contraindicated) => Some(format!(
                "Pela sua segurança, {} não é indicado no seu caso ({}).",
                procedure.name,
                self.declared_labels(ctx.tracker)
            )),
            Some(Screening::NoConsent) => Some(format!(
                "Tudo bem! Sem o seu consentimento eu não registro informações de saúde, \
                 mas elas são necessárias para agendar {} com segurança.",
                procedure.name
            )),
            _ => None,
        };
        if let Some(why) = blocked {
            let evaluation = self
                .clinic
                .data
                .catalogue
                .procedure(EVALUATION)
                .map_or("uma avaliação presencial".to_owned(), |p| p.name.clone());
            return ActionResult {
                replies: vec![yes_no(format!(
                    "{why} O ideal é uma *{evaluation}* presencial: a especialista avalia \
                     você pessoalmente e indica a melhor alternativa. Quer agendar?"
                ))],
                events: vec![
                    slot(PROCEDURE, EVALUATION.into(), ctx.now),
                    slot(SCREENING, Value::Null, ctx.now),
                ],
            };
        }
        let (Some(start), Some(name)) = (draft.start, draft.name) else {
            return ActionResult::default();
        };
        ActionResult {
            replies: vec![yes_no(format!(
                "Confira o agendamento:\n• Procedimento: *{}*\n• Quando: *{}* ({} min)\n• Nome: *{name}*\nPosso confirmar?",
                procedure.name,
                short_label(&start),
                procedure.duration_minutes
            ))],
            events: Vec::new(),
        }
    }

    /// "gestação e amamentação": the labels of the declared conditions.
    fn declared_labels(&self, tracker: &Tracker) -> String {
        let ids: Vec<String> = match tracker.slot(CONDITIONS) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(|id| {
                    self.clinic
                        .data
                        .catalogue
                        .condition(id)
                        .map_or(id.to_owned(), |c| c.label.clone())
                })
                .collect(),
            _ => Vec::new(),
        };
        join_pt(&ids)
    }
}

clinic_action!(
    /// Stores the confirmed appointment in the calendar.
    BookAppointment,
    "action_book_appointment"
);

impl BookAppointment {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let failed = |reason: String| ActionError::Failed {
            action: Self::NAME.into(),
            reason,
        };
        let draft = Draft::of(&self.clinic.data, ctx.tracker);
        let screened = draft.screening.is_none_or(Screening::allows_booking);
        let (Some(procedure), Some(start), Some(name), true) =
            (draft.procedure, draft.start, draft.name, screened)
        else {
            // Something is missing (the evaluation offered instead still needs a time):
            // back to the form, which asks for it.
            return Ok(ActionResult {
                replies: Vec::new(),
                events: vec![reopen_form(ctx.now)],
            });
        };
        let time = ctx.tracker.slot(TIME).cloned().unwrap_or(Value::Null);
        let still_free = bookable_slot(
            &self.clinic.data,
            &*self.clinic.calendar,
            procedure.id.as_str(),
            &time,
            ctx.now,
        )
        .await
        .map_err(|e| failed(e.to_string()))?
        .is_some_and(|s| s.start.timestamp() == start.timestamp());
        let end = start
            .checked_add(SignedDuration::from_mins(i64::from(
                procedure.duration_minutes,
            )))
            .map_err(|e| failed(e.to_string()))?;
        let booked = if still_free {
            let new = NewAppointment {
                patient: ctx.tracker.sender_id().to_string(),
                patient_name: name.clone(),
                procedure: procedure.id.clone(),
                start: start.clone(),
                end,
            };
            let capacity = Capacity::from(&self.clinic.data.config.scheduling);
            match self.clinic.calendar.book(new, capacity).await {
                Ok(appointment) => Some(appointment),
                Err(CalendarError::SlotTaken(_)) => None,
                Err(e) => return Err(failed(e.to_string())),
            }
        } else {
            None
        };
        let Some(appointment) = booked else {
            return Ok(ActionResult {
                replies: vec![Reply::text(format!(
                    "Poxa, o horário de {} acabou de ser preenchido. Vou te mostrar os próximos livres.",
                    short_label(&start)
                ))],
                events: vec![
                    slot(TIME_WISH, time, ctx.now),
                    slot(TIME, Value::Null, ctx.now),
                    reopen_form(ctx.now),
                ],
            });
        };
        let config = &self.clinic.data.config;
        let mut text = format!(
            "Prontinho, {name}! ✅ *{}* agendado para *{}*.\n📍 {}\nVocê vai receber um lembrete {} horas antes. Para remarcar ou cancelar, é só me chamar por aqui.",
            procedure.name,
            short_label(&appointment.start),
            config.address,
            config.notices.reminder_hours
        );
        if let Some(voucher) = self.redeem_voucher(ctx, procedure).await? {
            text.push('\n');
            text.push_str(&voucher);
        }
        Ok(ActionResult {
            replies: vec![Reply::text(text)],
            events: [PROCEDURE, TIME, TIME_WISH, SCREENING, VOUCHER]
                .into_iter()
                .map(|s| slot(s, Value::Null, ctx.now))
                .collect(),
        })
    }
}

impl BookAppointment {
    /// Redeems the `voucher` slot's code for the booked `procedure` when it applies (the
    /// quote's rules: validity, minimum value, use limit), counting the use; what to tell
    /// the patient about it.
    async fn redeem_voucher(
        &self,
        ctx: &ActionContext<'_>,
        procedure: &Procedure,
    ) -> Result<Option<String>, ActionError> {
        let Some(code) = ctx.tracker.slot(VOUCHER).and_then(Value::as_str) else {
            return Ok(None);
        };
        let code = code.trim().to_uppercase();
        let failed = |reason: String| ActionError::Failed {
            action: Self::NAME.into(),
            reason,
        };
        let times_used = self
            .clinic
            .calendar
            .voucher_uses(&code)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let items = [QuoteItem {
            procedure: procedure.id.clone(),
            sessions: procedure.sessions.max(1),
        }];
        let voucher = VoucherUse {
            code: code.clone(),
            times_used,
        };
        let ClinicData { config, catalogue } = &*self.clinic.data;
        let today = clinic_now(ctx.now, &config.time_zone).date();
        let quoted = quote(config, catalogue, &items, Some(&voucher), today)
            .map_err(|e| failed(e.to_string()))?;
        let VoucherOutcome::Applied { amount, .. } = quoted.voucher else {
            return Ok(None);
        };
        let max_uses = config
            .vouchers
            .iter()
            .find(|v| v.code.eq_ignore_ascii_case(&code))
            .and_then(|v| v.max_uses);
        let patient = ctx.tracker.sender_id().as_str();
        match self
            .clinic
            .calendar
            .redeem_voucher(&code, patient, max_uses)
            .await
        {
            Ok(_) => Ok(Some(format!(
                "🎟️ Cupom {code} aplicado: -{amount} no valor do procedimento."
            ))),
            Err(CalendarError::VoucherUsedUp(_)) => Ok(Some(format!(
                "O cupom {code} acabou de atingir o limite de usos e não pôde ser aplicado."
            ))),
            Err(e) => Err(failed(e.to_string())),
        }
    }
}

/// Drops the unconfirmed booking's time and screening outcome (the procedure and name
/// stay, for another try).
pub struct ResetBooking;

impl ResetBooking {
    /// The action's name in the domain.
    pub const NAME: &'static str = "action_reset_booking";
}

impl Action for ResetBooking {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        let result = ActionResult {
            replies: vec![Reply::text(
                "Tudo bem, não agendei nada. Se quiser outro dia, horário ou procedimento, é só me dizer.",
            )],
            events: [TIME, TIME_WISH, SCREENING]
                .into_iter()
                .map(|s| slot(s, Value::Null, ctx.now))
                .collect(),
        };
        Box::pin(std::future::ready(Ok(result)))
    }
}
