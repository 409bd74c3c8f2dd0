//! The typed values the built-in extractor reports, and their Duckling JSON form.
//!
//! These are the values the dialogue layer (slot filling) and the clinic's availability
//! check consume: a [`BuiltinValue`] per entity, each serialising to exactly the JSON
//! Duckling would give (`{"type":"value","value":...}` or `{"type":"interval",...}`).

use jiff::Zoned;
use serde_json::{Map, Value, json};
use std::fmt;

/// How precise a time value is: `15h` has grain hour, `amanhã` grain day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grain {
    /// A second.
    Second,
    /// A minute.
    Minute,
    /// An hour.
    Hour,
    /// A day.
    Day,
    /// A week (Monday to Sunday).
    Week,
    /// A calendar month.
    Month,
    /// Three calendar months starting in January, April, July or October.
    Quarter,
    /// A calendar year.
    Year,
}

impl Grain {
    /// Duckling's name for it (`hour`, `day`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Second => "second",
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
        }
    }

    /// Its length in seconds as Duckling normalises durations (a month is 30 days, a
    /// year 365).
    pub fn seconds(self) -> i64 {
        match self {
            Self::Second => 1,
            Self::Minute => 60,
            Self::Hour => 3_600,
            Self::Day => 86_400,
            Self::Week => 604_800,
            Self::Month => 2_592_000,
            Self::Quarter => 7_776_000,
            Self::Year => 31_536_000,
        }
    }
}

impl fmt::Display for Grain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A point in time with its grain: the start of the second, minute, hour, day... meant.
#[derive(Debug, Clone, PartialEq)]
pub struct TimePoint {
    /// The start of the period, in the request's time zone.
    pub value: Zoned,
    /// How precise it is.
    pub grain: Grain,
}

impl TimePoint {
    /// `{"value": "2013-02-12T04:30:00.000-02:00", "grain": "second"}`.
    fn to_json(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("value".into(), Value::String(format_zoned(&self.value)));
        m.insert("grain".into(), Value::String(self.grain.as_str().into()));
        m
    }
}

/// Duckling's rendering of a date-time: milliseconds and a numeric offset.
pub fn format_zoned(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}

/// A time expression, resolved against the reference time.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeValue {
    /// A single point ("amanhã às 15h").
    Instant(TimePoint),
    /// An interval, `to` exclusive; either end may be open ("a partir das 14h"). As in
    /// Duckling, a closed interval between two points ends at the end of the second one
    /// ("entre 14h e 16h" ends at 17:00; "13 a 15 de julho" at July 16th).
    Interval {
        /// Start, inclusive.
        from: Option<TimePoint>,
        /// End, exclusive.
        to: Option<TimePoint>,
    },
}

/// A duration ("2 semanas", "meia hora").
#[derive(Debug, Clone, PartialEq)]
pub struct DurationValue {
    /// How many units.
    pub value: f64,
    /// The unit written.
    pub unit: Grain,
}

impl DurationValue {
    /// The length in seconds (months 30 days, years 365).
    pub fn normalized_seconds(&self) -> f64 {
        self.value * self.unit.seconds() as f64
    }
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    /// The amount, when given ("R$ 1.500,00" → 1500).
    pub amount: f64,
    /// Duckling's unit: `BRL`, `USD`, `EUR`, `GBP`, `PTS`, or `$`/`£` when the symbol does
    /// not say which dollar or pound.
    pub unit: &'static str,
}

/// One value found in a text.
#[derive(Debug, Clone, PartialEq)]
pub enum BuiltinValue {
    /// A date, time or interval.
    Time(TimeValue),
    /// A duration.
    Duration(DurationValue),
    /// A number ("1.500,50", "vinte e cinco", "meia dúzia").
    Number(f64),
    /// An ordinal ("terceiro", "2ª").
    Ordinal(i64),
    /// Money.
    AmountOfMoney(Money),
    /// A phone number as Duckling gives it: digits, the country code apart and an
    /// extension after `ext` (`+55 11 98765-4321` → `(+55) 11987654321`).
    PhoneNumber(String),
    /// An e-mail address.
    Email(String),
    /// A URL, as written.
    Url(String),
}

impl BuiltinValue {
    /// Its dimension.
    pub fn dimension(&self) -> Dimension {
        match self {
            Self::Time(_) => Dimension::Time,
            Self::Duration(_) => Dimension::Duration,
            Self::Number(_) => Dimension::Number,
            Self::Ordinal(_) => Dimension::Ordinal,
            Self::AmountOfMoney(_) => Dimension::AmountOfMoney,
            Self::PhoneNumber(_) => Dimension::PhoneNumber,
            Self::Email(_) => Dimension::Email,
            Self::Url(_) => Dimension::Url,
        }
    }

    /// Duckling's JSON value (its `value` field in `/parse` answers).
    pub fn to_duckling_json(&self) -> Value {
        match self {
            Self::Time(TimeValue::Instant(p)) => {
                let mut m = p.to_json();
                m.insert("type".into(), "value".into());
                Value::Object(m)
            }
            Self::Time(TimeValue::Interval { from, to }) => {
                let mut m = Map::new();
                m.insert("type".into(), "interval".into());
                if let Some(f) = from {
                    m.insert("from".into(), Value::Object(f.to_json()));
                }
                if let Some(t) = to {
                    m.insert("to".into(), Value::Object(t.to_json()));
                }
                Value::Object(m)
            }
            Self::Duration(d) => {
                let unit = d.unit.as_str();
                let mut m = Map::new();
                m.insert("type".into(), "value".into());
                m.insert("value".into(), number(d.value));
                m.insert("unit".into(), unit.into());
                m.insert(unit.into(), number(d.value));
                m.insert(
                    "normalized".into(),
                    json!({"unit": "second", "value": number(d.normalized_seconds())}),
                );
                Value::Object(m)
            }
            Self::Number(n) => json!({"type": "value", "value": number(*n)}),
            Self::Ordinal(n) => json!({"type": "value", "value": n}),
            Self::AmountOfMoney(m) => {
                json!({"type": "value", "value": number(m.amount), "unit": m.unit})
            }
            Self::PhoneNumber(s) | Self::Email(s) | Self::Url(s) => {
                json!({"type": "value", "value": s})
            }
        }
    }

    /// The simple value Rasa's `DucklingEntityExtractor` reports as the entity's `value`:
    /// the ISO string of an instant, `{"from","to"}` for an interval, the number for
    /// numbers, money and durations, the text for the rest.
    pub fn to_rasa_value(&self) -> Value {
        match self {
            Self::Time(TimeValue::Instant(p)) => Value::String(format_zoned(&p.value)),
            Self::Time(TimeValue::Interval { from, to }) => json!({
                "from": from.as_ref().map(|p| format_zoned(&p.value)),
                "to": to.as_ref().map(|p| format_zoned(&p.value)),
            }),
            Self::Duration(d) => number(d.value),
            Self::Number(n) => number(*n),
            Self::Ordinal(n) => json!(n),
            Self::AmountOfMoney(m) => number(m.amount),
            Self::PhoneNumber(s) | Self::Email(s) | Self::Url(s) => Value::String(s.clone()),
        }
    }
}

/// Integral values as JSON integers (`15`, not `15.0`), others as floats.
pub fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

/// A kind of value; its entity name follows the clinic contract and Rasa's Duckling
/// extractor (`time`, `number`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// Dates, times, intervals.
    Time,
    /// Durations.
    Duration,
    /// Numbers.
    Number,
    /// Ordinals.
    Ordinal,
    /// Money.
    AmountOfMoney,
    /// Phone numbers.
    PhoneNumber,
    /// E-mail addresses.
    Email,
    /// URLs.
    Url,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 8] = [
        Self::Time,
        Self::Duration,
        Self::Number,
        Self::Ordinal,
        Self::AmountOfMoney,
        Self::PhoneNumber,
        Self::Email,
        Self::Url,
    ];

    /// The entity name (and Duckling's dimension name): `time`, `amount_of_money`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Time => "time",
            Self::Duration => "duration",
            Self::Number => "number",
            Self::Ordinal => "ordinal",
            Self::AmountOfMoney => "amount_of_money",
            Self::PhoneNumber => "phone_number",
            Self::Email => "email",
            Self::Url => "url",
        }
    }

    /// Reads a dimension name; Duckling's corpus names (`Numeral`, `AmountOfMoney`) and
    /// Rasa's (`number`, `amount-of-money`) are accepted too.
    pub fn parse(name: &str) -> Option<Self> {
        let key: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "time" => Self::Time,
            "duration" => Self::Duration,
            "number" | "numeral" => Self::Number,
            "ordinal" => Self::Ordinal,
            "amountofmoney" | "money" => Self::AmountOfMoney,
            "phonenumber" | "phone" => Self::PhoneNumber,
            "email" => Self::Email,
            "url" => Self::Url,
            _ => return None,
        })
    }

    /// Where it wins when two values of different dimensions cover the same text: money
    /// and time carry more than the bare number inside them.
    pub(crate) fn priority(self) -> u8 {
        match self {
            Self::Email | Self::Url => 7,
            Self::PhoneNumber => 6,
            Self::AmountOfMoney => 5,
            Self::Time => 4,
            Self::Duration => 3,
            Self::Ordinal => 2,
            Self::Number => 1,
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Dimension {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Dimension {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Self::parse(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown dimension `{name}`; known: time, duration, number, ordinal, amount_of_money, phone_number, email, url"
            ))
        })
    }
}
