//! Money as integer centavos, percentages as basis points, and their pt-BR formatting.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in Brazilian reais, held as integer centavos (never floats).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    /// Zero reais.
    pub const ZERO: Money = Money(0);

    /// `reais` whole reais.
    pub fn reais(reais: i64) -> Self {
        Money(reais * 100)
    }

    /// The amount in centavos.
    pub fn centavos(self) -> i64 {
        self.0
    }

    /// `percent` of this amount, rounded half up to the centavo.
    pub fn percent(self, percent: Percent) -> Money {
        Money((self.0 * i64::from(percent.0) + 5_000).div_euclid(10_000))
    }

    /// Parses a decimal amount in reais as written in the clinic's files: `1200`, `1200.5`,
    /// `1200.50` (a dot before at most two decimals; no sign, no thousands separators).
    pub fn parse_reais(text: &str) -> Option<Money> {
        parse_hundredths(text).map(Money)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::ops::Mul<u32> for Money {
    type Output = Money;
    fn mul(self, rhs: u32) -> Money {
        Money(self.0 * i64::from(rhs))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// pt-BR currency: `R$ 1.234,56` (`-R$ 5,00` below zero).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(
            f,
            "{sign}R$ {},{:02}",
            group_thousands(abs / 100),
            abs % 100
        )
    }
}

/// A percentage held in basis points (`7.5 %` is 750), so discounts stay exact.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Percent(pub u32);

impl Percent {
    /// Parses `10`, `7.5` or `7.25` (percent, at most two decimals, 0 to 100).
    pub fn parse(text: &str) -> Option<Percent> {
        let bp = parse_hundredths(text)?;
        (bp <= 10_000).then(|| Percent(u32::try_from(bp).unwrap_or(u32::MAX)))
    }
}

/// pt-BR percentage: `10%`, `7,5%`.
impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}%"),
            f10 if f10 % 10 == 0 => write!(f, "{whole},{}%", f10 / 10),
            _ => write!(f, "{whole},{frac:02}%"),
        }
    }
}

/// `123`, `123.4`, `123.45` → hundredths; anything else (signs, exponents, three
/// decimals) → `None`.
fn parse_hundredths(text: &str) -> Option<i64> {
    let (whole, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!frac.is_empty() && !digits(frac)) || frac.len() > 2 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// `1234567` → `1.234.567`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_brazilian_reais() {
        assert_eq!(Money(123_456).to_string(), "R$ 1.234,56");
        assert_eq!(Money(5).to_string(), "R$ 0,05");
        assert_eq!(Money(100_000_000).to_string(), "R$ 1.000.000,00");
        assert_eq!(Money(-500).to_string(), "-R$ 5,00");
    }

    #[test]
    fn parses_reais_exactly() {
        assert_eq!(Money::parse_reais("1200"), Some(Money(120_000)));
        assert_eq!(Money::parse_reais("0.1"), Some(Money(10)));
        assert_eq!(Money::parse_reais("89.90"), Some(Money(8_990)));
        for bad in ["-5", "1e3", "1.234", "1,50", "", "."] {
            assert_eq!(Money::parse_reais(bad), None, "{bad}");
        }
    }

    #[test]
    fn percentages_round_half_up() {
        let p = Percent::parse("7.5").expect("valid");
        assert_eq!(p, Percent(750));
        assert_eq!(p.to_string(), "7,5%");
        assert_eq!(Money(1_000).percent(Percent(500)), Money(50));
        // 5 % of R$ 0,10 is half a centavo: rounds up.
        assert_eq!(Money(10).percent(Percent(500)), Money(1));
        assert_eq!(Percent::parse("100.01"), None);
    }
}
