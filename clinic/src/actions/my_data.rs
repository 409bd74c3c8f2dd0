//! The patient's rights over their data (LGPD): `action_delete_my_data` erases what the
//! conversation holds and cancels their bookings; `action_export_my_data` shows it.
//! Stored conversations and leads are the server's to erase.

use super::appointments::summary;
use super::clinic::{clinic_action, failed, patient};
use super::inputs::{say, slot_values};
use crate::calendar::{AppointmentStatus, CalendarError};
use crate::words::join_pt;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::events::{Event, EventKind};
use serde_json::Value;
use std::fmt::Write;

clinic_action!(
    /// Runs once the patient affirmed the deletion question: cancels their upcoming
    /// appointments (the notice rule does not hold back an erasure), resets every slot
    /// and says the data was erased.
    DeleteMyData,
    "action_delete_my_data"
);

impl DeleteMyData {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let mut cancelled = 0;
        for a in self.clinic.upcoming(ctx, Self::NAME).await?.into_vec() {
            match self
                .clinic
                .calendar
                .set_status(patient(ctx), &a.id, AppointmentStatus::Cancelled)
                .await
            {
                Ok(_) => cancelled += 1,
                // Already gone: nothing left to erase there.
                Err(CalendarError::NotFound(_)) => {}
                Err(e) => return Err(failed(Self::NAME, e)),
            }
        }
        let mut text = "Pronto! Seus dados pessoais foram apagados. ✅".to_owned();
        match cancelled {
            0 => {}
            1 => text.push_str("\nTambém cancelei o seu agendamento futuro."),
            n => {
                let _ = write!(text, "\nTambém cancelei os seus {n} agendamentos futuros.");
            }
        }
        text.push_str("\nSe precisar de algo, é só chamar.");
        Ok(ActionResult {
            replies: vec![Reply::text(text)],
            events: vec![Event::new(EventKind::ResetSlots, ctx.now)],
        })
    }
}

clinic_action!(
    /// Lists what the bot holds about the patient: phone, name (`person_name`),
    /// procedures and concerns of interest (`procedure`, `concern`), health data
    /// (`conditions`) only with consent (`health_consent`), and upcoming appointments.
    ExportMyData,
    "action_export_my_data"
);

impl ExportMyData {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let data = &*self.clinic.data;
        let tracker = ctx.tracker;
        let mut lines = vec![format!("• Telefone: {}", patient(ctx))];
        if let Some(name) = tracker.slot("person_name").and_then(Value::as_str) {
            lines.push(format!("• Nome: {name}"));
        }
        let named = |slot: &str, label: &dyn Fn(&str) -> Option<String>| -> Vec<String> {
            slot_values(tracker, slot)
                .into_iter()
                .map(|id| label(&id).unwrap_or(id))
                .collect()
        };
        let catalogue = &data.catalogue;
        let mut push_list = |title: &str, items: Vec<String>| {
            if !items.is_empty() {
                lines.push(format!("• {title}: {}", join_pt(&items)));
            }
        };
        push_list(
            "Procedimentos de interesse",
            named("procedure", &|id| {
                catalogue.procedure(id).map(|p| p.name.clone())
            }),
        );
        push_list(
            "Queixas",
            named("concern", &|id| {
                catalogue.concern(id).map(|c| c.label.clone())
            }),
        );
        // Health data exists only with consent; without it none was stored to show.
        if tracker.slot("health_consent") == Some(&Value::Bool(true)) {
            push_list("Consentimento para dados de saúde", vec!["sim".to_owned()]);
            push_list(
                "Condições de saúde informadas",
                named("conditions", &|id| {
                    catalogue.condition(id).map(|c| c.label.clone())
                }),
            );
        }
        let appointments: Vec<String> = self
            .clinic
            .upcoming(ctx, Self::NAME)
            .await?
            .into_vec()
            .iter()
            .map(|a| format!("  – {}", summary(data, a)))
            .collect();
        if !appointments.is_empty() {
            lines.push(format!("• Agendamentos:\n{}", appointments.join("\n")));
        }
        Ok(say(format!(
            "*Dados que temos sobre você*\n{}\n\nSe quiser que a gente apague tudo, é só \
             pedir \"apagar meus dados\".",
            lines.join("\n")
        )))
    }
}
