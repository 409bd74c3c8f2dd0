//! Rasa's default actions.

use super::ActionContext;
use crate::dialogue::domain::{DEFAULT_ACTIONS, REQUESTED_SLOT, SESSION_STARTED_METADATA};
use crate::dialogue::events::{BotData, BotUttered, Button, Event, EventKind};
use crate::names::ActionName;
use serde_json::{Map, Value};

/// Default actions run elsewhere: slot extraction by the processor; `...` is a
/// placeholder of rules, never run.
const RUN_ELSEWHERE: &[&str] = &["action_extract_slots", "..."];

/// Whether `name` is a default action run by the engine itself.
pub fn is_builtin(name: &str) -> bool {
    DEFAULT_ACTIONS.contains(&name) && !RUN_ELSEWHERE.contains(&name)
}

/// Runs the default action `name`: its events, or `None` when `name` is not one.
/// A domain that declares a custom action of the same name overrides it (the caller
/// checks the registry first).
pub(crate) fn run_builtin(ctx: &ActionContext<'_>, name: &str) -> Option<Vec<Event>> {
    let at = |kind| Event::new(kind, ctx.now);
    let utter = |response: &str| ctx.utter(response).into_iter();
    let events = match name {
        "action_listen" | "action_unlikely_intent" | "action_revert_fallback_events" => vec![],
        "action_restart" => utter("utter_restart")
            .chain([at(EventKind::Restart)])
            .collect(),
        "action_session_start" => session_start(ctx),
        "action_default_fallback" => utter("utter_default")
            .chain([at(EventKind::Rewind)])
            .collect(),
        "action_deactivate_loop" => vec![
            at(EventKind::active_loop(None)),
            at(EventKind::slot(REQUESTED_SLOT, Value::Null)),
        ],
        "action_default_ask_affirmation" => vec![ask_affirmation(ctx)],
        "action_default_ask_rephrase" => utter("utter_ask_rephrase").collect(),
        "action_two_stage_fallback" => two_stage_fallback(ctx),
        "action_back" => utter("utter_back")
            .chain([at(EventKind::Rewind), at(EventKind::Rewind)])
            .collect(),
        "action_send_text" => send_text(ctx).into_iter().collect(),
        _ => return None,
    };
    Some(events)
}

/// A new session: `session_started`, the slots carried over (when the domain says so),
/// then `action_listen`. The processor adds the session's metadata.
fn session_start(ctx: &ActionContext<'_>) -> Vec<Event> {
    let at = |kind| Event::new(kind, ctx.now);
    let mut events = vec![at(EventKind::SessionStarted)];
    if ctx.domain.session_config.carry_over_slots {
        let initial = ctx.tracker.initial_slots();
        for (name, value) in ctx.tracker.slots() {
            // Slots still at their initial value need no event: the session starts there.
            let changed = initial.get(name) != Some(value);
            if changed
                && name.as_str() != SESSION_STARTED_METADATA
                && name.as_str() != REQUESTED_SLOT
            {
                events.push(at(EventKind::slot(name.clone(), value.clone())));
            }
        }
    }
    // Unlike Rasa, a new session keeps a pause: a conversation handed to staff stays
    // theirs however long they take (a restart ends it).
    if ctx.tracker.is_paused() {
        events.push(at(EventKind::Pause));
    }
    events.push(at(EventKind::action("action_listen", None, 1.0)));
    events
}

/// The intent to confirm after a fallback: the top intent, or the runner-up when the
/// top one is the fallback itself.
fn intent_to_affirm(ctx: &ActionContext<'_>) -> Option<String> {
    let message = ctx.tracker.latest_message()?;
    let top = message.intent_name()?.as_str();
    if top != crate::names::NLU_FALLBACK {
        return Some(top.to_owned());
    }
    message
        .parse_data
        .intent_ranking
        .iter()
        .map(|i| i.name.as_str())
        .find(|n| *n != crate::names::NLU_FALLBACK)
        .map(str::to_owned)
}

/// "Did you mean ...?" with yes/no buttons; the domain's `utter_ask_affirmation`
/// supplies the wording when it has one.
fn ask_affirmation(ctx: &ActionContext<'_>) -> Event {
    let intent = intent_to_affirm(ctx).unwrap_or_else(|| "out_of_scope".into());
    let button = |title: &str, payload: String| Button {
        title: title.into(),
        payload,
        extra: Map::new(),
    };
    let mut bot = match ctx.utter("utter_ask_affirmation") {
        Some(Event {
            kind: EventKind::Bot(bot),
            ..
        }) => bot,
        _ => BotUttered {
            text: Some(format!("Did you mean '{intent}'?")),
            data: BotData::default(),
        },
    };
    if bot.data.buttons.is_empty() {
        bot.data.buttons = vec![
            button("Yes", format!("/{intent}")),
            button("No", "/out_of_scope".into()),
        ];
    }
    bot.data.utter_action = Some(ActionName::new("action_default_ask_affirmation"));
    Event::new(EventKind::Bot(bot), ctx.now)
}

/// Rasa's two-stage fallback as a loop: first confirm the intent; when the user says
/// no, ask to rephrase; a second failure gives the default fallback. Any clear answer
/// ends the loop and the conversation goes on from it.
fn two_stage_fallback(ctx: &ActionContext<'_>) -> Vec<Event> {
    const NAME: &str = "action_two_stage_fallback";
    let at = |kind| Event::new(kind, ctx.now);
    let active = ctx
        .tracker
        .active_loop_name()
        .is_some_and(|n| n.as_str() == NAME);
    if !active {
        return vec![
            at(EventKind::active_loop(Some(ActionName::new(NAME)))),
            ask_affirmation(ctx),
        ];
    }
    let intent = ctx.tracker.latest_intent().map(|i| i.as_str().to_owned());
    match intent.as_deref() {
        Some("out_of_scope") if !asked_to_rephrase(ctx) => {
            ctx.utter("utter_ask_rephrase").into_iter().collect()
        }
        Some(crate::names::NLU_FALLBACK) | Some("out_of_scope") => ctx
            .utter("utter_default")
            .into_iter()
            .chain([at(EventKind::Rewind), at(EventKind::active_loop(None))])
            .collect(),
        // A clear answer: as Rasa's `_revert_fallback_events`, the fallback exchange is
        // undone and the conversation goes on as if the user had said this first.
        _ => match ctx.tracker.latest_message() {
            Some(user) => vec![
                at(EventKind::active_loop(None)),
                at(EventKind::Rewind),
                at(EventKind::Rewind),
                at(EventKind::action("action_listen", None, 1.0)),
                at(EventKind::User(user.clone())),
            ],
            None => vec![at(EventKind::active_loop(None))],
        },
    }
}

/// Whether the bot's last message in this loop asked the user to rephrase.
fn asked_to_rephrase(ctx: &ActionContext<'_>) -> bool {
    ctx.tracker
        .latest_bot_utterance()
        .and_then(|b| b.data.utter_action.as_ref())
        .is_some_and(|a| a.as_str() == "utter_ask_rephrase")
}

/// `action_send_text`: sends the `message` of the latest user message's metadata.
fn send_text(ctx: &ActionContext<'_>) -> Option<Event> {
    let metadata = ctx.tracker.latest_message()?.parse_data.metadata.as_ref()?;
    let text = metadata.get("message")?.get("text")?.as_str()?;
    Some(Event::new(
        EventKind::Bot(BotUttered {
            text: Some(text.to_owned()),
            data: BotData::default(),
        }),
        ctx.now,
    ))
}
