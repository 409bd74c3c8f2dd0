//! Reading `clinic.yml` into a [`ClinicConfig`], with located errors.

use super::*;
use crate::reader::{Fields, Node, Reader, read_file};
use bela_engine::data::{Diagnostic, Location};
use std::path::Path;

/// The configuration's file name in the project root.
pub const CONFIG_FILE: &str = "clinic.yml";

const TOP_KEYS: &[&str] = &[
    "name",
    "address",
    "directions",
    "phone",
    "time_zone",
    "opening_hours",
    "holidays",
    "scheduling",
    "notices",
    "payment",
    "vouchers",
    "packages",
];
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// A configuration with the places its procedure ids were written, for the checks
/// against the catalogue.
pub(crate) struct ConfigRead {
    pub config: ClinicConfig,
    pub procedure_refs: Vec<(ProcedureId, Location)>,
}

impl ClinicConfig {
    /// Reads and checks `clinic.yml` at `path`.
    pub fn load(path: &Path) -> Result<ClinicConfig, Vec<Diagnostic>> {
        read(&read_file(path)?, path).map(|r| r.config)
    }

    /// Reads and checks a configuration text (`path` names it in diagnostics).
    pub fn parse(text: &str, path: &Path) -> Result<ClinicConfig, Vec<Diagnostic>> {
        read(text, path).map(|r| r.config)
    }
}

/// Reads a configuration; every problem found is returned, not just the first.
pub(crate) fn read(text: &str, path: &Path) -> Result<ConfigRead, Vec<Diagnostic>> {
    let (r, root) = Reader::parse(text, path);
    let mut refs = Vec::new();
    let config = root.and_then(|root| {
        let f = r.fields(&root, "the clinic configuration", TOP_KEYS)?;
        Some(top(&r, &f, &mut refs))
    });
    match config {
        Some(config) if !r.has_errors() => Ok(ConfigRead {
            config,
            procedure_refs: refs,
        }),
        _ => Err(r.into_diags()),
    }
}

fn top(r: &Reader, f: &Fields, refs: &mut Vec<(ProcedureId, Location)>) -> ClinicConfig {
    let text = |r: &Reader, key: &str, required: bool| {
        let node = if required {
            f.require(r, key)
        } else {
            f.get(key)
        };
        node.and_then(|n| r.text(n, &format!("`{key}`")))
    };
    let name = text(r, "name", true).unwrap_or_default();
    let address = text(r, "address", true).unwrap_or_default();
    let directions = text(r, "directions", false);
    let phone = text(r, "phone", false);
    let (time_zone_name, time_zone) = f
        .require(r, "time_zone")
        .and_then(|n| time_zone(r, n))
        .unwrap_or_else(|| (String::new(), TimeZone::UTC));
    let opening_hours = f
        .require(r, "opening_hours")
        .map(|n| opening_hours(r, n))
        .unwrap_or_default();
    ClinicConfig {
        name,
        address,
        directions,
        phone,
        time_zone_name,
        time_zone,
        opening_hours,
        holidays: f
            .get("holidays")
            .map(|n| holidays(r, n))
            .unwrap_or_default(),
        scheduling: scheduling(r, f.get("scheduling")),
        notices: notices(r, f.get("notices")),
        payment: payment(r, f.get("payment")),
        vouchers: f
            .get("vouchers")
            .map(|n| vouchers(r, n))
            .unwrap_or_default(),
        packages: f
            .get("packages")
            .map(|n| packages(r, n, refs))
            .unwrap_or_default(),
    }
}

fn time_zone(r: &Reader, node: &Node) -> Option<(String, TimeZone)> {
    let name = r.text(node, "`time_zone`")?;
    match TimeZone::get(&name) {
        Ok(tz) => Some((name, tz)),
        Err(e) => {
            r.error(
                node,
                format!("unknown time zone `{name}` (an IANA name such as America/Sao_Paulo): {e}"),
            );
            None
        }
    }
}

fn opening_hours(r: &Reader, node: &Node) -> WeeklyHours {
    let mut week = WeeklyHours::default();
    let known: Vec<&str> = WEEKDAYS.iter().map(|(n, _)| *n).collect();
    let Some(f) = r.fields(node, "`opening_hours`", &known) else {
        return week;
    };
    for (key, day) in WEEKDAYS {
        let Some(value) = f.get(key) else { continue };
        let what = format!("`opening_hours.{key}`");
        // `closed` reads better than an empty list for a clinic editing the file.
        if bela_engine::data::yaml_value::as_str(value) == Some("closed") {
            continue;
        }
        let mut ranges: Vec<(TimeRange, Location)> = Vec::new();
        for item in r.list(value, &what) {
            let Some(range) = r.time_range(item, &what) else {
                continue;
            };
            if let Some((prev, _)) = ranges.iter().find(|(p, _)| p.overlaps(&range)) {
                let msg = format!(
                    "{what}: {}-{} overlaps {}-{}",
                    hm(range.start),
                    hm(range.end),
                    hm(prev.start),
                    hm(prev.end)
                );
                r.error(item, msg);
            }
            ranges.push((range, r.at(item)));
        }
        week.set(day, ranges.into_iter().map(|(range, _)| range).collect());
    }
    week
}

/// `09:00`.
pub(crate) fn hm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn holidays(r: &Reader, node: &Node) -> Vec<Holiday> {
    let mut out: Vec<Holiday> = Vec::new();
    for item in r.list(node, "`holidays`") {
        let holiday = if item.data.as_mapping().is_some() {
            r.fields(item, "a holiday", &["date", "name"])
                .and_then(|f| {
                    let date = r.date(f.require(r, "date")?, "a holiday's `date`")?;
                    let name = f.get("name").and_then(|n| r.text(n, "a holiday's `name`"));
                    Some(Holiday { date, name })
                })
        } else {
            r.date(item, "a holiday")
                .map(|date| Holiday { date, name: None })
        };
        let Some(holiday) = holiday else { continue };
        if out.iter().any(|h| h.date == holiday.date) {
            r.error(item, format!("holiday {} is listed twice", holiday.date));
        }
        out.push(holiday);
    }
    out.sort_by_key(|h| h.date);
    out
}

/// An optional count with a default.
fn count_or(r: &Reader, f: Option<&Fields>, key: &str, min: u32, default: u32) -> u32 {
    f.and_then(|f| f.get(key))
        .and_then(|n| r.count(n, &format!("`{key}`"), min))
        .unwrap_or(default)
}

fn scheduling(r: &Reader, node: Option<&Node>) -> Scheduling {
    const KEYS: &[&str] = &[
        "slot_minutes",
        "rooms",
        "buffer_minutes",
        "minimum_notice_minutes",
        "horizon_days",
        "parts_of_day",
    ];
    let f = node.and_then(|n| r.fields(n, "`scheduling`", KEYS));
    let f = f.as_ref();
    let parts_of_day = match f.and_then(|f| f.get("parts_of_day")) {
        Some(node) => parts_of_day(r, node),
        None => default_parts_of_day(),
    };
    Scheduling {
        slot_minutes: count_or(r, f, "slot_minutes", 5, 30),
        rooms: count_or(r, f, "rooms", 1, 1),
        buffer_minutes: count_or(r, f, "buffer_minutes", 0, 0),
        minimum_notice_minutes: count_or(r, f, "minimum_notice_minutes", 0, 120),
        horizon_days: count_or(r, f, "horizon_days", 1, 30),
        parts_of_day,
    }
}

/// manhã 08–12, tarde 12–18, noite 18–21.
fn default_parts_of_day() -> Vec<(String, TimeRange)> {
    let range = |a: i8, b: i8| TimeRange {
        start: Time::constant(a, 0, 0, 0),
        end: Time::constant(b, 0, 0, 0),
    };
    vec![
        ("manha".to_owned(), range(8, 12)),
        ("tarde".to_owned(), range(12, 18)),
        ("noite".to_owned(), range(18, 21)),
    ]
}

fn parts_of_day(r: &Reader, node: &Node) -> Vec<(String, TimeRange)> {
    let entries = r.entries(node, "`parts_of_day`").unwrap_or_default();
    entries
        .into_iter()
        .filter_map(|(name, _, value)| {
            let range = r.time_range(value, &format!("`parts_of_day.{name}`"))?;
            Some((name, range))
        })
        .collect()
}

fn notices(r: &Reader, node: Option<&Node>) -> Notices {
    const KEYS: &[&str] = &["cancellation_hours", "reminder_hours", "follow_up_days"];
    let f = node.and_then(|n| r.fields(n, "`notices`", KEYS));
    let f = f.as_ref();
    let follow_up = f.and_then(|f| f.get("follow_up_days"));
    let follow_up_days = match follow_up {
        Some(node) => r
            .list(node, "`follow_up_days`")
            .into_iter()
            .filter_map(|n| r.count(n, "each of `follow_up_days`", 1))
            .collect(),
        None => Vec::new(),
    };
    Notices {
        cancellation_hours: count_or(r, f, "cancellation_hours", 0, 24),
        reminder_hours: count_or(r, f, "reminder_hours", 1, 24),
        follow_up_days,
    }
}

fn payment(r: &Reader, node: Option<&Node>) -> Payment {
    const KEYS: &[&str] = &[
        "methods",
        "pix_discount_percent",
        "max_instalments",
        "min_instalment",
    ];
    let f = node.and_then(|n| r.fields(n, "`payment`", KEYS));
    let f = f.as_ref();
    let get = |key: &str| f.and_then(|f| f.get(key));
    Payment {
        methods: get("methods")
            .map(|n| {
                r.texts(n, "`methods`")
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            })
            .unwrap_or_default(),
        pix_discount: get("pix_discount_percent")
            .and_then(|n| r.percent(n, "`pix_discount_percent`"))
            .unwrap_or_default(),
        max_instalments: count_or(r, f, "max_instalments", 1, 1),
        min_instalment: get("min_instalment")
            .and_then(|n| r.money(n, "`min_instalment`"))
            .unwrap_or_default(),
    }
}

fn vouchers(r: &Reader, node: &Node) -> Vec<Voucher> {
    const KEYS: &[&str] = &[
        "code",
        "percent",
        "amount",
        "valid_from",
        "valid_to",
        "max_uses",
        "min_value",
    ];
    let mut out: Vec<Voucher> = Vec::new();
    for item in r.list(node, "`vouchers`") {
        let Some(f) = r.fields(item, "a voucher", KEYS) else {
            continue;
        };
        let Some(voucher) = voucher(r, item, &f) else {
            continue;
        };
        if out.iter().any(|v| v.code == voucher.code) {
            r.error(item, format!("voucher {} is listed twice", voucher.code));
        }
        out.push(voucher);
    }
    out
}

fn voucher(r: &Reader, item: &Node, f: &Fields) -> Option<Voucher> {
    let code = r
        .text(f.require(r, "code")?, "a voucher's `code`")?
        .to_uppercase();
    let discount = match (f.get("percent"), f.get("amount")) {
        (Some(p), None) => Discount::Percent(r.percent(p, "a voucher's `percent`")?),
        (None, Some(a)) => Discount::Amount(r.money(a, "a voucher's `amount`")?),
        _ => {
            r.error(
                item,
                format!("voucher {code} needs exactly one of `percent` or `amount`"),
            );
            return None;
        }
    };
    let valid_from = r.date(f.require(r, "valid_from")?, "`valid_from`")?;
    let valid_to_node = f.require(r, "valid_to")?;
    let valid_to = r.date(valid_to_node, "`valid_to`")?;
    if valid_from > valid_to {
        r.error(
            valid_to_node,
            format!("voucher {code} ends ({valid_to}) before it starts ({valid_from})"),
        );
    }
    Some(Voucher {
        code,
        discount,
        valid_from,
        valid_to,
        max_uses: f.get("max_uses").and_then(|n| r.count(n, "`max_uses`", 1)),
        min_value: f.get("min_value").and_then(|n| r.money(n, "`min_value`")),
    })
}

fn packages(r: &Reader, node: &Node, refs: &mut Vec<(ProcedureId, Location)>) -> Vec<Package> {
    const KEYS: &[&str] = &[
        "name",
        "procedures",
        "min_procedures",
        "min_sessions",
        "percent",
    ];
    let mut out = Vec::new();
    for item in r.list(node, "`packages`") {
        let Some(f) = r.fields(item, "a package", KEYS) else {
            continue;
        };
        let name = f
            .require(r, "name")
            .and_then(|n| r.text(n, "a package's `name`"));
        let percent = f
            .require(r, "percent")
            .and_then(|n| r.percent(n, "a package's `percent`"));
        let procedures: Vec<(String, Location)> = f
            .get("procedures")
            .map(|n| r.texts(n, "`procedures`"))
            .unwrap_or_default();
        let min_procedures = f
            .get("min_procedures")
            .and_then(|n| r.count(n, "`min_procedures`", 2));
        let min_sessions = f
            .get("min_sessions")
            .and_then(|n| r.count(n, "`min_sessions`", 2));
        if procedures.is_empty() && min_procedures.is_none() && min_sessions.is_none() {
            r.error(
                item,
                "a package needs `procedures`, `min_procedures` or `min_sessions`: when does it apply?",
            );
        }
        let (Some(name), Some(percent)) = (name, percent) else {
            continue;
        };
        refs.extend(
            procedures
                .iter()
                .map(|(p, at)| (ProcedureId::new(p.as_str()), at.clone())),
        );
        out.push(Package {
            name,
            procedures: procedures
                .into_iter()
                .map(|(p, _)| ProcedureId::new(p))
                .collect(),
            min_procedures,
            min_sessions,
            percent,
        });
    }
    out
}
