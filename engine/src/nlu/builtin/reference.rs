//! The reference time a message is read against: "amanhã" depends on when and where the
//! patient wrote it.

use crate::{Error, Result};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

/// The clinic's time zone, used when a request names none.
pub const DEFAULT_TIME_ZONE: &str = "America/Sao_Paulo";

/// "Now" in the patient's time zone. Relative expressions ("amanhã", "daqui a 2 semanas")
/// resolve from it, and every value is rendered in its zone.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceTime {
    /// The instant, in the zone values are given in.
    pub now: Zoned,
}

impl ReferenceTime {
    /// `now` as it is.
    pub fn new(now: Zoned) -> Self {
        Self { now }
    }

    /// The current instant in `zone`.
    pub fn now_in(zone: TimeZone) -> Self {
        Self::new(Timestamp::now().to_zoned(zone))
    }

    /// The current instant in the clinic's zone ([`DEFAULT_TIME_ZONE`]), or UTC if the
    /// system has no time zone database.
    pub fn now_default() -> Self {
        Self::now_in(TimeZone::get(DEFAULT_TIME_ZONE).unwrap_or(TimeZone::UTC))
    }

    /// Reads a request's optional `reference_time` (RFC 3339, e.g.
    /// `2026-03-11T09:00:00-03:00`) and `timezone` (an IANA name such as
    /// `America/Sao_Paulo`, or a fixed offset such as `-02:00` / `UTC-3`). Without a zone the
    /// `default_zone` is used; without a time, now.
    pub fn from_request(
        reference_time: Option<&str>,
        timezone: Option<&str>,
        default_zone: &TimeZone,
    ) -> Result<Self> {
        let zone = match timezone {
            Some(name) => parse_zone(name)?,
            None => default_zone.clone(),
        };
        let instant = match reference_time {
            Some(text) => parse_instant(text)?,
            None => Timestamp::now(),
        };
        Ok(Self::new(instant.to_zoned(zone)))
    }
}

/// An RFC 3339 instant with an offset (`2013-02-12T04:30:00-02:00`, `...Z`).
pub fn parse_instant(text: &str) -> Result<Timestamp> {
    text.trim().parse::<Timestamp>().map_err(|e| {
        Error::InvalidInput(format!(
            "reference time `{text}` is not an RFC 3339 date-time with an offset (e.g. 2026-03-11T09:00:00-03:00): {e}"
        ))
    })
}

/// An IANA zone name or a fixed offset (`-02:00`, `+0530`, `UTC-3`, `UTC`).
pub fn parse_zone(name: &str) -> Result<TimeZone> {
    let name = name.trim();
    if let Some(offset) = parse_offset(name) {
        return Ok(TimeZone::fixed(offset));
    }
    TimeZone::get(name).map_err(|_| {
        Error::InvalidInput(format!(
            "unknown time zone `{name}`: give an IANA name such as America/Sao_Paulo or an offset such as -03:00"
        ))
    })
}

fn parse_offset(name: &str) -> Option<Offset> {
    let rest = name
        .strip_prefix("UTC")
        .or_else(|| name.strip_prefix("GMT"))
        .unwrap_or(name);
    if rest.is_empty() {
        return (rest.len() != name.len()).then_some(Offset::UTC);
    }
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let hours: i32 = hours.parse().ok().filter(|h| *h <= 14)?;
    let minutes: i32 = minutes.parse().ok().filter(|m| *m < 60)?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_by_name_or_offset() -> Result<()> {
        let at: Timestamp = "2013-02-12T06:30:00Z"
            .parse()
            .map_err(|_| Error::InvalidInput(String::new()))?;
        for (name, local) in [
            ("-02:00", "04:30"),
            ("UTC-3", "03:30"),
            ("+0530", "12:00"),
            ("UTC", "06:30"),
            ("America/Sao_Paulo", "04:30"),
        ] {
            let z = at.to_zoned(parse_zone(name)?);
            assert_eq!(z.strftime("%H:%M").to_string(), local, "{name}");
        }
        Ok(())
    }

    #[test]
    fn bad_zone_and_time_are_input_errors() {
        assert!(matches!(
            parse_zone("Mars/Olympus"),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(parse_zone("+25:00"), Err(Error::InvalidInput(_))));
        assert!(matches!(
            parse_instant("amanhã"),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            parse_instant("2013-02-12T04:30:00"),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn request_without_zone_uses_the_default() -> Result<()> {
        let r = ReferenceTime::from_request(
            Some("2026-03-11T12:00:00Z"),
            None,
            &TimeZone::fixed(Offset::constant(-3)),
        )?;
        assert_eq!(r.now.strftime("%H:%M %:z").to_string(), "09:00 -03:00");
        Ok(())
    }
}
