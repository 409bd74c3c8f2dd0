//! Helpers for the extractor's unit tests.

use super::extract::extract;
use super::reference::{ReferenceTime, parse_instant, parse_zone};
use super::values::Dimension;
use serde_json::Value;

/// `instant` (RFC 3339) in `zone`.
pub(super) fn reference(instant: &str, zone: &str) -> ReferenceTime {
    let at = parse_instant(instant).unwrap_or_else(|e| panic!("test reference {instant}: {e}"));
    let zone = parse_zone(zone).unwrap_or_else(|e| panic!("test zone {zone}: {e}"));
    ReferenceTime::new(at.to_zoned(zone))
}

/// Wednesday 2026-03-11 10:00 in São Paulo.
pub(super) fn wednesday() -> ReferenceTime {
    reference("2026-03-11T10:00:00-03:00", "America/Sao_Paulo")
}

/// `(covered text, Duckling JSON)` of each value of `dimension` in `text`.
pub(super) fn found(text: &str, at: &ReferenceTime, dimension: Dimension) -> Vec<(String, Value)> {
    extract(text, at, &[dimension])
        .into_iter()
        .map(|e| (e.text, e.value.to_duckling_json()))
        .collect()
}

/// The single value of `dimension` in `text`, which must cover all of it.
pub(super) fn whole(text: &str, at: &ReferenceTime, dimension: Dimension) -> Value {
    let got = found(text, at, dimension);
    match got.as_slice() {
        [(covered, value)] if covered == text => value.clone(),
        _ => panic!("{text:?}: expected one {dimension} over the whole text, got {got:?}"),
    }
}
