//! Checks of the names the domain refers to, once all its files are merged: what Rasa
//! rejects is an error, what Rasa skips or warns about is a warning.

use super::super::Domain;
use super::reader::{RefKind, Reference};
use crate::data::Diagnostic;
use crate::names::{ActionName, EntityName, IntentName, SlotName};

/// The diagnostics for `refs` against the merged `domain`.
pub(super) fn check(domain: &Domain, refs: &[Reference]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in refs {
        let warn = |message: String| Diagnostic::warning(r.at.clone(), message);
        let name = r.name.as_str();
        let problem = match &r.kind {
            RefKind::MappingEntity if domain.entity(&EntityName::new(name)).is_none() => {
                Some(warn(format!(
                    "{} maps from entity `{name}`, which is not in `entities`; the mapping is skipped",
                    r.by
                )))
            }
            RefKind::IntentEntity if domain.entity(&EntityName::new(name)).is_none() => Some(warn(
                format!("{} lists entity `{name}`, which is not in `entities`", r.by),
            )),
            RefKind::MappingIntent | RefKind::FormIntent
                if domain.intent(&IntentName::new(name)).is_none() =>
            {
                Some(warn(format!(
                    "{} names intent `{name}`, which is not in `intents`",
                    r.by
                )))
            }
            RefKind::ConditionLoop if !domain.is_form(&ActionName::new(name)) => {
                Some(warn(format!(
                    "a mapping condition of {} names `{name}` as `active_loop`, which is not a form",
                    r.by
                )))
            }
            RefKind::ConditionSlot | RefKind::ResponseSlot
                if domain.slot(&SlotName::new(name)).is_none() =>
            {
                Some(warn(format!(
                    "{} refers to slot `{name}`, which is not in `slots`",
                    r.by
                )))
            }
            RefKind::FormSlot(_) if domain.slot(&SlotName::new(name)).is_none() => {
                Some(Diagnostic::error(
                    r.at.clone(),
                    format!("{} requires slot `{name}`, which is not in `slots`", r.by),
                ))
            }
            RefKind::FormSlot(form) => {
                let ask = domain.ask_action(form, &SlotName::new(name));
                (!domain.has_action(ask.as_str())).then(|| {
                    warn(format!(
                        "{} has no way to ask for `{name}`: add a response `utter_ask_{name}` (or `utter_ask_{form}_{name}`, or an action `action_ask_{name}`)",
                        r.by
                    ))
                })
            }
            RefKind::UtterAction if !domain.has_response_action(name) => Some(warn(format!(
                "action `{name}` is listed under `actions` but there is no response `{name}`; a custom action should not start with `utter_`"
            ))),
            _ => None,
        };
        out.extend(problem);
    }
    out
}
