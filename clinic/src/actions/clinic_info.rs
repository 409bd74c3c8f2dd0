//! `action_clinic_info`: opening hours, address or payment options from the clinic's
//! configuration, whichever the latest intent (`ask_hours`, `ask_location`,
//! `ask_payment`) asked about.

use super::clinic::clinic_action;
use super::inputs::say;
use crate::ClinicConfig;
use crate::availability::weekday_name;
use crate::words::join_pt;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult};
use jiff::Zoned;
use jiff::civil::Date;
use std::fmt::Write;

clinic_action!(
    /// Answers `ask_hours` (the week's hours and the holidays coming up), `ask_location`
    /// (address, directions, phone) and `ask_payment` (methods, pix discount,
    /// instalments); any other intent gets all three.
    ClinicInfo,
    "action_clinic_info"
);

impl ClinicInfo {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let config = &self.clinic.data.config;
        let now = self.clinic.now(ctx);
        let text = match ctx.tracker.latest_intent().map(|i| i.as_str()) {
            Some("ask_hours") => hours(config, &now),
            Some("ask_location") => location(config),
            Some("ask_payment") => payment(config),
            _ => [hours(config, &now), location(config), payment(config)].join("\n\n"),
        };
        Ok(say(text))
    }
}

/// The week's hours, then the holidays within the booking horizon (the days a patient
/// could be looking at).
fn hours(config: &ClinicConfig, now: &Zoned) -> String {
    let mut out = format!("🕘 *Horário de atendimento*\n{}", config.hours_text());
    let today = now.date();
    let horizon = today
        .checked_add(jiff::Span::new().days(i64::from(config.scheduling.horizon_days)))
        .unwrap_or(Date::MAX);
    let soon: Vec<String> = config
        .holidays
        .iter()
        .filter(|h| today <= h.date && h.date <= horizon)
        .map(|h| {
            let day = format!(
                "{} {}",
                weekday_name(h.date.weekday()),
                h.date.strftime("%d/%m")
            );
            match &h.name {
                Some(name) => format!("{day} ({name})"),
                None => day,
            }
        })
        .collect();
    if !soon.is_empty() {
        let _ = write!(out, "\nNão abrimos em: {}.", join_pt(&soon));
    }
    out
}

/// Name, address, directions and phone.
fn location(config: &ClinicConfig) -> String {
    let mut out = format!("📍 *{}*\n{}", config.name, config.address);
    if let Some(directions) = &config.directions {
        let _ = write!(out, "\n{directions}");
    }
    if let Some(phone) = &config.phone {
        let _ = write!(out, "\n📞 {phone}");
    }
    out
}

/// Accepted methods, the pix discount and the card instalment plan.
fn payment(config: &ClinicConfig) -> String {
    let p = &config.payment;
    let methods: Vec<String> = p.methods.iter().map(|m| method_name(m)).collect();
    let mut out = format!("💳 *Formas de pagamento*\nAceitamos {}.", join_pt(&methods));
    if p.pix_discount.0 > 0 {
        let _ = write!(out, "\nNo pix você tem {} de desconto.", p.pix_discount);
    }
    if p.max_instalments > 1 {
        let _ = write!(
            out,
            "\nNo cartão de crédito, parcelamos em até {}x sem juros (parcela mínima de {}).",
            p.max_instalments, p.min_instalment
        );
    }
    out
}

/// The pt-BR name of a `payment_method` value.
fn method_name(method: &str) -> String {
    match method {
        "pix" => "pix".to_owned(),
        "cartao_credito" => "cartão de crédito".to_owned(),
        "cartao_debito" => "cartão de débito".to_owned(),
        "dinheiro" => "dinheiro".to_owned(),
        "boleto" => "boleto".to_owned(),
        other => other.replace('_', " "),
    }
}
