//! Quotes: itemised prices for one or more procedures and sessions, the best package
//! discount, a voucher, the pix price and the card instalment plan.

mod render;
#[cfg(test)]
mod tests;

use crate::catalogue::Catalogue;
use crate::config::{ClinicConfig, Discount, Package, Voucher};
use crate::ids::ProcedureId;
use crate::money::{Money, Percent};
use jiff::civil::Date;

/// One item asked for: a procedure and how many sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteItem {
    /// The procedure.
    pub procedure: ProcedureId,
    /// Sessions (at least 1).
    pub sessions: u32,
}

/// A voucher code the patient gave, with how often it has been used so far (the
/// bookings store knows; this crate does no I/O).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherUse {
    /// The code as written (compared upper-cased).
    pub code: String,
    /// Times it was already redeemed.
    pub times_used: u32,
}

/// A line of the quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    /// The procedure.
    pub procedure: ProcedureId,
    /// Its name for patients.
    pub name: String,
    /// Sessions quoted.
    pub sessions: u32,
    /// Price of one session (the lower end of a range).
    pub unit_price: Money,
    /// What the price is for (`por sessão`).
    pub unit: String,
    /// `unit_price × sessions`.
    pub amount: Money,
    /// True when the catalogue gives a range: the line reads "a partir de".
    pub from_price: bool,
}

/// The package discount applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageDiscount {
    /// The package's name.
    pub name: String,
    /// Its percentage.
    pub percent: Percent,
    /// The amount taken off.
    pub amount: Money,
}

/// What became of the voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoucherOutcome {
    /// No voucher given.
    None,
    /// Applied.
    Applied {
        /// The code.
        code: String,
        /// Its discount.
        discount: Discount,
        /// The amount taken off.
        amount: Money,
    },
    /// Refused, and why; the quote holds no voucher discount.
    Refused {
        /// The code as given, upper-cased.
        code: String,
        /// Why.
        reason: VoucherProblem,
    },
}

/// Why a voucher does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoucherProblem {
    /// No such code.
    Unknown,
    /// Valid from a later day.
    NotYetValid(Date),
    /// Expired on that day.
    Expired(Date),
    /// Every use was taken.
    UsedUp,
    /// The total is below the voucher's minimum.
    BelowMinimum(Money),
}

/// Paying by card: instalments without interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalments {
    /// How many.
    pub count: u32,
    /// Each instalment (the first also takes the centavos left over).
    pub each: Money,
    /// The first instalment.
    pub first: Money,
}

/// A priced quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// One line per item.
    pub lines: Vec<QuoteLine>,
    /// Sum of the lines.
    pub subtotal: Money,
    /// The best package discount, if one applies.
    pub package: Option<PackageDiscount>,
    /// The voucher's outcome.
    pub voucher: VoucherOutcome,
    /// What the patient pays by card.
    pub total: Money,
    /// The pix discount's percentage.
    pub pix_discount: Percent,
    /// What the patient pays by pix.
    pub pix_total: Money,
    /// The card plan.
    pub instalments: Instalments,
    /// True when a line is "a partir de" (so is the total).
    pub from_price: bool,
}

/// Why no quote could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    /// Nothing to quote.
    #[error("a quote needs at least one procedure")]
    Empty,
    /// A procedure is not in the catalogue.
    #[error("unknown procedure `{0}`")]
    UnknownProcedure(String),
    /// Zero sessions.
    #[error("`{0}` needs at least one session")]
    NoSessions(String),
}

/// Prices `items` on `today` (for voucher validity).
pub fn quote(
    config: &ClinicConfig,
    catalogue: &Catalogue,
    items: &[QuoteItem],
    voucher: Option<&VoucherUse>,
    today: Date,
) -> Result<Quote, QuoteError> {
    if items.is_empty() {
        return Err(QuoteError::Empty);
    }
    let lines = items
        .iter()
        .map(|item| line(catalogue, item))
        .collect::<Result<Vec<_>, _>>()?;
    let subtotal: Money = lines.iter().map(|l| l.amount).sum();
    let package = best_package(&config.packages, &lines);
    let after_package = subtotal - package.as_ref().map_or(Money::ZERO, |p| p.amount);
    let voucher = voucher.map_or(VoucherOutcome::None, |v| {
        redeem(&config.vouchers, v, after_package, today)
    });
    let voucher_amount = match &voucher {
        VoucherOutcome::Applied { amount, .. } => *amount,
        _ => Money::ZERO,
    };
    let total = after_package - voucher_amount;
    let pay = &config.payment;
    Ok(Quote {
        from_price: lines.iter().any(|l| l.from_price),
        lines,
        subtotal,
        package,
        voucher,
        total,
        pix_discount: pay.pix_discount,
        pix_total: total - total.percent(pay.pix_discount),
        instalments: instalments(total, pay.max_instalments, pay.min_instalment),
    })
}

fn line(catalogue: &Catalogue, item: &QuoteItem) -> Result<QuoteLine, QuoteError> {
    let id = item.procedure.as_str();
    let p = catalogue
        .procedure(id)
        .ok_or_else(|| QuoteError::UnknownProcedure(id.to_owned()))?;
    if item.sessions == 0 {
        return Err(QuoteError::NoSessions(id.to_owned()));
    }
    Ok(QuoteLine {
        procedure: p.id.clone(),
        name: p.name.clone(),
        sessions: item.sessions,
        unit_price: p.price.from,
        unit: p.price.unit.clone(),
        amount: p.price.from * item.sessions,
        from_price: p.price.is_range(),
    })
}

/// The package with the largest discount on this quote (packages do not stack).
fn best_package(packages: &[Package], lines: &[QuoteLine]) -> Option<PackageDiscount> {
    packages
        .iter()
        .filter_map(|pkg| {
            let amount = covered(pkg, lines)?.percent(pkg.percent);
            Some(PackageDiscount {
                name: pkg.name.clone(),
                percent: pkg.percent,
                amount,
            })
        })
        .filter(|d| d.amount > Money::ZERO)
        .max_by_key(|d| d.amount)
}

/// The amount of the lines a package covers, if it applies.
fn covered(pkg: &Package, lines: &[QuoteLine]) -> Option<Money> {
    let listed =
        |l: &&QuoteLine| pkg.procedures.is_empty() || pkg.procedures.contains(&l.procedure);
    if !pkg
        .procedures
        .iter()
        .all(|p| lines.iter().any(|l| l.procedure == *p))
    {
        return None;
    }
    if let Some(min) = pkg.min_procedures {
        let mut distinct: Vec<&ProcedureId> =
            lines.iter().filter(listed).map(|l| &l.procedure).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < usize::try_from(min).unwrap_or(usize::MAX) {
            return None;
        }
    }
    let min_sessions = pkg.min_sessions.unwrap_or(0);
    let lines: Vec<&QuoteLine> = lines
        .iter()
        .filter(listed)
        .filter(|l| l.sessions >= min_sessions)
        .collect();
    (!lines.is_empty()).then(|| lines.iter().map(|l| l.amount).sum())
}

fn redeem(vouchers: &[Voucher], given: &VoucherUse, amount: Money, today: Date) -> VoucherOutcome {
    let code = given.code.trim().to_uppercase();
    let refused = |reason| VoucherOutcome::Refused {
        code: code.clone(),
        reason,
    };
    let Some(v) = vouchers.iter().find(|v| v.code == code) else {
        return refused(VoucherProblem::Unknown);
    };
    if today < v.valid_from {
        return refused(VoucherProblem::NotYetValid(v.valid_from));
    }
    if today > v.valid_to {
        return refused(VoucherProblem::Expired(v.valid_to));
    }
    if v.max_uses.is_some_and(|max| given.times_used >= max) {
        return refused(VoucherProblem::UsedUp);
    }
    if let Some(min) = v.min_value.filter(|min| amount < *min) {
        return refused(VoucherProblem::BelowMinimum(min));
    }
    let off = match v.discount {
        Discount::Percent(p) => amount.percent(p),
        Discount::Amount(a) => a.min(amount),
    };
    VoucherOutcome::Applied {
        code,
        discount: v.discount,
        amount: off,
    }
}

/// As many instalments as allowed while each stays at or above the minimum.
fn instalments(total: Money, max: u32, min_each: Money) -> Instalments {
    let mut count = max.max(1);
    while count > 1 && total.centavos() < min_each.centavos() * i64::from(count) {
        count -= 1;
    }
    let each = Money(total.centavos().div_euclid(i64::from(count)));
    let first = total - each * (count - 1);
    Instalments { count, each, first }
}
