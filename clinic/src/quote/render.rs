//! The pt-BR text of a quote, as the bot sends it.

use super::{Quote, QuoteLine, VoucherOutcome, VoucherProblem};
use crate::config::Discount;
use jiff::civil::Date;
use std::fmt::Write;

impl Quote {
    /// The quote as a WhatsApp message in pt-BR.
    pub fn to_text(&self) -> String {
        let mut out = String::from("Seu orçamento:\n");
        for line in &self.lines {
            let _ = writeln!(out, "• {}", line_text(line));
        }
        let from = if self.from_price { "a partir de " } else { "" };
        let discounted =
            self.package.is_some() || matches!(self.voucher, VoucherOutcome::Applied { .. });
        if discounted {
            let _ = writeln!(out, "Subtotal: {from}{}", self.subtotal);
        }
        if let Some(p) = &self.package {
            let _ = writeln!(out, "Desconto {} ({}): -{}", p.name, p.percent, p.amount);
        }
        match &self.voucher {
            VoucherOutcome::None => {}
            VoucherOutcome::Applied {
                code,
                discount,
                amount,
            } => {
                let what = match discount {
                    Discount::Percent(p) => format!(" ({p})"),
                    Discount::Amount(_) => String::new(),
                };
                let _ = writeln!(out, "Cupom {code}{what}: -{amount}");
            }
            VoucherOutcome::Refused { code, reason } => {
                let _ = writeln!(out, "{}", reason.reply(code));
            }
        }
        let _ = writeln!(out, "Total: {from}{}", self.total);
        if self.pix_discount.0 > 0 {
            let _ = writeln!(
                out,
                "No pix: {from}{} ({} de desconto)",
                self.pix_total, self.pix_discount
            );
        }
        let i = self.instalments;
        if i.count > 1 {
            let _ = write!(
                out,
                "No cartão: em até {}x de {} sem juros",
                i.count, i.each
            );
            if i.first != i.each {
                let _ = write!(out, " (a primeira de {})", i.first);
            }
        } else {
            let _ = write!(out, "No cartão: à vista, {}", self.total);
        }
        if self.from_price {
            out.push_str("\nO valor final depende da avaliação.");
        }
        out
    }
}

fn line_text(l: &QuoteLine) -> String {
    let from = if l.from_price { "a partir de " } else { "" };
    if l.sessions == 1 {
        format!("{}: {from}{} ({})", l.name, l.amount, l.unit)
    } else {
        format!(
            "{}, {} sessões: {from}{} ({}x {} {})",
            l.name, l.sessions, l.amount, l.sessions, l.unit_price, l.unit
        )
    }
}

impl VoucherProblem {
    /// Why the voucher `code` was not applied, in pt-BR.
    pub fn reply(&self, code: &str) -> String {
        match self {
            VoucherProblem::Unknown => {
                format!("Não encontrei o cupom {code}; confira se foi digitado certinho.")
            }
            VoucherProblem::NotYetValid(d) => {
                format!("O cupom {code} só vale a partir de {}.", date(*d))
            }
            VoucherProblem::Expired(d) => format!("O cupom {code} expirou em {}.", date(*d)),
            VoucherProblem::UsedUp => format!("O cupom {code} já atingiu o limite de usos."),
            VoucherProblem::BelowMinimum(min) => {
                format!("O cupom {code} vale para orçamentos a partir de {min}.")
            }
        }
    }
}

/// `25/12/2026`.
pub(crate) fn date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}
