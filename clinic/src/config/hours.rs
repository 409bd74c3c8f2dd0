//! Questions about the opening hours: is the clinic open now, when does it open next,
//! and the hours as a pt-BR text (for "que horas vcs abrem?" and for hand-offs to staff
//! outside working hours).

use super::{ClinicConfig, TimeRange, hm};
use jiff::Zoned;
use jiff::civil::Weekday;

const DAY_NAMES: [(Weekday, &str); 7] = [
    (Weekday::Monday, "segunda"),
    (Weekday::Tuesday, "terça"),
    (Weekday::Wednesday, "quarta"),
    (Weekday::Thursday, "quinta"),
    (Weekday::Friday, "sexta"),
    (Weekday::Saturday, "sábado"),
    (Weekday::Sunday, "domingo"),
];

impl ClinicConfig {
    /// True when `now` is inside an opening range of a day that is not a holiday.
    pub fn is_open(&self, now: &Zoned) -> bool {
        let local = now.with_time_zone(self.time_zone.clone());
        !self.is_holiday(local.date())
            && self
                .opening_hours
                .on(local.weekday())
                .iter()
                .any(|r| r.contains(local.time()))
    }

    /// `now` when open, otherwise the start of the next opening range within the search
    /// horizon (`None` if there is none).
    pub fn next_opening(&self, now: &Zoned) -> Option<Zoned> {
        if self.is_open(now) {
            return Some(now.clone());
        }
        let local = now.with_time_zone(self.time_zone.clone());
        let mut date = local.date();
        for _ in 0..=self.scheduling.horizon_days {
            if !self.is_holiday(date) {
                for range in self.opening_hours.on(date.weekday()) {
                    let start = date
                        .to_datetime(range.start)
                        .to_zoned(self.time_zone.clone())
                        .ok()?;
                    if start > local {
                        return Some(start);
                    }
                }
            }
            date = date.tomorrow().ok()?;
        }
        None
    }

    /// True when `date` is one of the holidays.
    pub fn is_holiday(&self, date: jiff::civil::Date) -> bool {
        self.holidays
            .binary_search_by_key(&date, |h| h.date)
            .is_ok()
    }

    /// The week's hours in pt-BR, one line per run of days with the same hours:
    /// `Segunda a sexta: 09:00–12:00 e 13:00–18:00`, `Domingo: fechado`.
    pub fn hours_text(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        let mut i = 0;
        while i < DAY_NAMES.len() {
            let ranges = self.opening_hours.on(DAY_NAMES[i].0);
            let mut j = i;
            while j + 1 < DAY_NAMES.len() && self.opening_hours.on(DAY_NAMES[j + 1].0) == ranges {
                j += 1;
            }
            let days = match j - i {
                0 => DAY_NAMES[i].1.to_owned(),
                1 => format!("{} e {}", DAY_NAMES[i].1, DAY_NAMES[j].1),
                _ => format!("{} a {}", DAY_NAMES[i].1, DAY_NAMES[j].1),
            };
            lines.push(format!("{}: {}", capitalised(&days), ranges_text(ranges)));
            i = j + 1;
        }
        lines.join("\n")
    }
}

fn ranges_text(ranges: &[TimeRange]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|r| format!("{}–{}", hm(r.start), hm(r.end)))
        .collect();
    match parts.split_last() {
        None => "fechado".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} e {last}", rest.join(", ")),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::testing::config;
    use jiff::Zoned;

    fn z(text: &str) -> Zoned {
        match format!("{text}[America/Sao_Paulo]").parse() {
            Ok(z) => z,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn open_and_next_opening() {
        let c = config();
        assert!(c.is_open(&z("2026-12-01T09:00")));
        // Lunch break: the afternoon opens at 13:00; closing time is not open.
        assert!(!c.is_open(&z("2026-12-01T12:15")));
        assert!(!c.is_open(&z("2026-12-01T18:00")));
        assert_eq!(
            c.next_opening(&z("2026-12-01T12:15")),
            Some(z("2026-12-01T13:00"))
        );
        // Thursday evening before Christmas (a Friday): next opening is Saturday.
        assert_eq!(
            c.next_opening(&z("2026-12-24T19:00")),
            Some(z("2026-12-26T09:00"))
        );
        assert!(!c.is_open(&z("2026-12-25T10:00")));
    }

    #[test]
    fn hours_as_text() {
        assert_eq!(
            config().hours_text(),
            "Segunda a sexta: 09:00–12:00 e 13:00–18:00\nSábado: 09:00–13:00\nDomingo: fechado"
        );
    }
}
