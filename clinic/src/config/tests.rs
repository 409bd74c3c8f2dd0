use super::*;
use crate::testing::{CONFIG, assert_errors, config, config_errors, edit};

fn t(h: i8, m: i8) -> Time {
    Time::constant(h, m, 0, 0)
}

#[test]
fn reads_the_fixture() {
    let c = config();
    assert_eq!(c.name, "Clínica Teste");
    assert_eq!(c.time_zone_name, "America/Sao_Paulo");
    assert_eq!(
        c.opening_hours.on(Weekday::Monday),
        &[
            TimeRange {
                start: t(9, 0),
                end: t(12, 0)
            },
            TimeRange {
                start: t(13, 0),
                end: t(18, 0)
            }
        ]
    );
    assert!(c.opening_hours.on(Weekday::Sunday).is_empty());
    assert_eq!(c.holidays[0].name.as_deref(), Some("Natal"));
    assert_eq!(c.holidays[1].date, jiff::civil::date(2027, 1, 1));
    assert_eq!(c.scheduling.minimum_notice_minutes, 60);
    // Not in the file: the default parts of the day.
    assert_eq!(
        c.scheduling.part_of_day("tarde"),
        Some(TimeRange {
            start: t(12, 0),
            end: t(18, 0)
        })
    );
    assert_eq!(c.payment.pix_discount, Percent(500));
    assert_eq!(c.payment.min_instalment, Money(10_000));
    // Codes are compared upper-cased, as the NLU extracts them.
    assert_eq!(c.vouchers[0].code, "BELA10");
    assert_eq!(c.vouchers[1].discount, Discount::Amount(Money(5_000)));
    assert_eq!(c.packages[1].min_sessions, Some(10));
}

#[test]
fn overlapping_opening_hours_are_located() {
    let text = edit(
        CONFIG,
        "tuesday: [09:00-12:00, 13:00-18:00]",
        "tuesday: [09:00-12:00, 11:30-18:00]",
    );
    let errors = config_errors(&text);
    assert_errors(
        &errors,
        &["clinic.yml:7:26: error: `opening_hours.tuesday`: 11:30-18:00 overlaps 09:00-12:00"],
    );
}

#[test]
fn voucher_ending_before_it_starts_is_an_error() {
    let text = edit(
        CONFIG,
        "valid_from: 2026-01-01, valid_to: 2026-06-30",
        "valid_from: 2026-07-01, valid_to: 2026-06-30",
    );
    let errors = config_errors(&text);
    assert_errors(
        &errors,
        &[
            "clinic.yml:33:66: error: voucher VALE50 ends (2026-06-30) before it starts (2026-07-01)",
        ],
    );
}

#[test]
fn package_naming_an_unknown_procedure_is_located() {
    let text = edit(
        CONFIG,
        "procedures: [botox, limpeza_de_pele]",
        "procedures: [botox, limpeza]",
    );
    let errors = config_errors(&text);
    assert_eq!(
        errors,
        vec!["clinic.yml:36:44: error: unknown procedure `limpeza`: not in catalogue.yml"]
    );
}

#[test]
fn bad_values_are_each_reported() {
    let text = edit(
        CONFIG,
        "time_zone: America/Sao_Paulo",
        "time_zone: America/Sao_Polo",
    );
    let text = edit(&text, "min_instalment: 100", "min_instalment: -100");
    let text = edit(&text, "rooms: 1", "rooms: 0");
    let text = edit(
        &text,
        "percent: 10, valid_from",
        "percent: 10, amount: 5, valid_from",
    );
    let text = edit(
        &text,
        "slot_minutes: 30",
        "slot_minutes: 30\n  bufer_minutes: 5",
    );
    let errors = config_errors(&text);
    assert_errors(
        &errors,
        &[
            "unknown time zone `America/Sao_Polo`",
            "unknown key `bufer_minutes` in `scheduling`",
            "`rooms` must be a whole number ≥ 1, not `0`",
            "`min_instalment` must not be negative",
            "voucher BELA10 needs exactly one of `percent` or `amount`",
        ],
    );
}

#[test]
fn missing_required_keys_are_reported() {
    let errors = config_errors("name: X\n");
    for key in ["address", "time_zone", "opening_hours"] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&format!("the clinic configuration needs `{key}`"))),
            "{errors:?}"
        );
    }
}

#[test]
fn yaml_syntax_errors_are_located() {
    let errors = config_errors("name: [X\naddress: y\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("clinic.yml:2:"), "{errors:?}");
    assert!(errors[0].contains("invalid YAML"), "{errors:?}");
}
