//! Forms (Rasa 3's `FormAction`): activate, validate what the user just gave, ask for
//! the next required slot, deactivate when every slot is filled.

use super::{ActionContext, ActionError, ActionRegistry, mapped_slots, run_custom};
use crate::dialogue::domain::REQUESTED_SLOT;
use crate::dialogue::events::{Event, EventKind};
use crate::names::{ActionName, SlotName};
use serde_json::Value;

/// Runs the form `form`: the events it produces, or a rejection when the user's message
/// filled nothing the form asked for (policies then pick another action).
pub(crate) async fn run_form(
    ctx: &ActionContext<'_>,
    form: &ActionName,
    registry: &ActionRegistry,
) -> Result<Vec<Event>, ActionError> {
    let tracker = ctx.tracker;
    let at = |kind| Event::new(kind, ctx.now);
    let mut events = Vec::new();
    let active = tracker.active_loop_name() == Some(form);
    if !active {
        events.push(at(EventKind::active_loop(Some(form.clone()))));
        // As Rasa: at activation the trigger message is read again with the form active,
        // which is when `from_trigger_intent` mappings fill.
        let mut view = tracker.clone();
        view.extend(events.iter().cloned());
        events.extend(mapped_slots(ctx.domain, &view, ctx.now).0);
        // As Rasa: the validation runs at activation even when nothing is prefilled, so
        // a dynamic form can choose (or fill) its first slot.
        events.extend(
            validate(ctx, form, registry, &events)
                .await?
                .unwrap_or_default(),
        );
    } else if tracker
        .latest_action_name()
        .is_some_and(|a| a.as_str() == "action_listen")
        && tracker.active_loop().is_some_and(|l| l.validate)
    {
        let extracted = slots_set_since_user_message(ctx);
        let validation = validate(ctx, form, registry, &events).await?;
        let rejected_manually = validation.as_ref().is_some_and(|v| {
            v.iter()
                .any(|e| matches!(e.kind, EventKind::ActionExecutionRejected { .. }))
        });
        let validated_any = match &validation {
            Some(v) => v.iter().any(|e| is_slot_event(e, |n| n != REQUESTED_SLOT)),
            None => !extracted.is_empty(),
        };
        if rejected_manually || (tracker.slot(REQUESTED_SLOT).is_some() && !validated_any) {
            let requested = tracker
                .slot(REQUESTED_SLOT)
                .and_then(Value::as_str)
                .unwrap_or("a slot")
                .to_owned();
            return Err(ActionError::Rejected {
                action: form.clone(),
                reason: format!("the message did not fill {requested}"),
            });
        }
        events.extend(validation.unwrap_or_default());
    }
    events.extend(next_step(ctx, form, registry, &events).await?);
    Ok(events)
}

fn is_slot_event(event: &Event, name: impl Fn(&str) -> bool) -> bool {
    matches!(&event.kind, EventKind::Slot { name: n, .. } if name(n.as_str()))
}

/// Slots the extraction set after the latest user message (other than `requested_slot`).
fn slots_set_since_user_message(ctx: &ActionContext<'_>) -> Vec<SlotName> {
    let events = ctx.tracker.events();
    let start = events
        .iter()
        .rposition(|e| matches!(e.kind, EventKind::User(_)))
        .map_or(0, |i| i + 1);
    events[start..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Slot { name, .. } if name.as_str() != REQUESTED_SLOT => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// Runs `validate_<form>` when the domain declares it or it is registered, on the tracker
/// with `pending` applied. `None` when there is no validation action.
async fn validate(
    ctx: &ActionContext<'_>,
    form: &ActionName,
    registry: &ActionRegistry,
    pending: &[Event],
) -> Result<Option<Vec<Event>>, ActionError> {
    let name = ActionName::new(format!("validate_{form}"));
    let declared = ctx.domain.actions.contains(&name);
    let runnable =
        registry.is_registered(name.as_str()) || (declared && registry.can_run(name.as_str()));
    if !runnable {
        return Ok(None);
    }
    let mut tracker = ctx.tracker.clone();
    tracker.extend(pending.iter().cloned());
    let inner = ActionContext {
        tracker: &tracker,
        ..*ctx
    };
    run_custom(registry, &name, &inner).await.map(Some)
}

/// After validation: deactivate when every required slot is filled, otherwise request
/// the next one and ask for it.
async fn next_step(
    ctx: &ActionContext<'_>,
    form: &ActionName,
    registry: &ActionRegistry,
    pending: &[Event],
) -> Result<Vec<Event>, ActionError> {
    let at = |kind| Event::new(kind, ctx.now);
    let deactivated = pending
        .iter()
        .any(|e| matches!(&e.kind, EventKind::ActiveLoop { name: None }));
    if deactivated {
        return Ok(Vec::new());
    }
    let mut tracker = ctx.tracker.clone();
    tracker.extend(pending.iter().cloned());
    // As Rasa: a validation action that set `requested_slot` chose the next slot itself
    // (rasa_sdk's dynamic `required_slots`); setting it to null ends the form.
    let chosen = pending.iter().rev().find_map(|e| match &e.kind {
        EventKind::Slot { name, value } if name.as_str() == REQUESTED_SLOT => Some(value),
        _ => None,
    });
    let (slot, mut events) = match chosen {
        Some(Value::String(slot)) => (Some(SlotName::new(slot.as_str())), Vec::new()),
        Some(_) => (None, Vec::new()),
        None => {
            let next = ctx
                .domain
                .required_slots(form)
                .iter()
                .find(|s| tracker.slot(s.as_str()).is_none())
                .cloned();
            let requested = next.as_ref().map(|s| {
                at(EventKind::slot(
                    REQUESTED_SLOT,
                    Value::String(s.to_string()),
                ))
            });
            (next, requested.into_iter().collect())
        }
    };
    let Some(slot) = slot else {
        return Ok(vec![
            at(EventKind::active_loop(None)),
            at(EventKind::slot(REQUESTED_SLOT, Value::Null)),
        ]);
    };
    tracker.extend(events.iter().cloned());
    let inner = ActionContext {
        tracker: &tracker,
        ..*ctx
    };
    let ask = ctx.domain.ask_action(form, &slot);
    if ask.as_str().starts_with("utter_") {
        match inner.utter(ask.as_str()) {
            Some(event) => events.push(event),
            None => {
                tracing::warn!(form = %form, slot = %slot, response = %ask, "the form has no response to ask for this slot")
            }
        }
    } else {
        events.extend(run_custom(registry, &ask, &inner).await?);
    }
    Ok(events)
}
