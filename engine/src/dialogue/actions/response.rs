//! Response actions (`utter_*`) and the bot messages of custom actions.

use super::{ActionContext, Reply, slot_value};
use crate::dialogue::domain::{Button as DomainButton, RenderedResponse};
use crate::dialogue::events::{BotData, BotUttered, Button, Event, EventKind};
use crate::names::ActionName;

/// Renders the domain response `name` for `ctx`'s conversation as a bot event.
pub(crate) fn utter(ctx: &ActionContext<'_>, name: &str) -> Option<Event> {
    utter_with(ctx, name, &serde_json::Map::new())
}

/// [`utter`] with template variables that win over the slots.
fn utter_with(
    ctx: &ActionContext<'_>,
    name: &str,
    variables: &serde_json::Map<String, serde_json::Value>,
) -> Option<Event> {
    let rendered = ctx.domain.choose_and_render(
        name,
        |slot| slot_value(ctx.tracker, slot),
        variables,
        ctx.channel,
        ctx.picker,
    )?;
    Some(Event::new(EventKind::Bot(from_rendered(rendered)), ctx.now))
}

/// The bot event for a custom action's reply: its response rendered (if it names one),
/// with the reply's literal parts taking precedence. `None` for an empty reply or an
/// unknown response.
pub(crate) fn bot_event(ctx: &ActionContext<'_>, reply: &Reply) -> Option<Event> {
    let mut bot = match &reply.response {
        Some(name) => match utter_with(ctx, name, &reply.kwargs) {
            Some(Event {
                kind: EventKind::Bot(bot),
                ..
            }) => bot,
            _ => {
                tracing::warn!(response = %name, "a custom action asked for a response the domain does not have");
                return None;
            }
        },
        None => BotUttered::default(),
    };
    if reply.text.is_some() {
        bot.text = reply.text.clone();
    }
    merge(&mut bot.data, &reply.data);
    let empty = bot.text.is_none() && bot.data == BotData::default();
    (!empty).then(|| Event::new(EventKind::Bot(bot), ctx.now))
}

/// Overlays the parts `extra` sets onto `data`.
fn merge(data: &mut BotData, extra: &BotData) {
    if !extra.buttons.is_empty() {
        data.buttons = extra.buttons.clone();
    }
    if !extra.quick_replies.is_empty() {
        data.quick_replies = extra.quick_replies.clone();
    }
    for (target, source) in [
        (&mut data.elements, &extra.elements),
        (&mut data.attachment, &extra.attachment),
        (&mut data.custom, &extra.custom),
    ] {
        if source.is_some() {
            *target = source.clone();
        }
    }
    if extra.image.is_some() {
        data.image = extra.image.clone();
    }
}

fn buttons(buttons: &[DomainButton]) -> Vec<Button> {
    buttons
        .iter()
        .map(|b| Button {
            title: b.title.clone(),
            payload: b.payload.clone(),
            extra: b.extra.clone(),
        })
        .collect()
}

fn from_rendered(r: RenderedResponse) -> BotUttered {
    BotUttered {
        text: r.text,
        data: BotData {
            buttons: buttons(&r.buttons),
            quick_replies: buttons(&r.quick_replies),
            elements: r.elements,
            image: r.image,
            attachment: r.attachment,
            custom: r.custom,
            utter_action: Some(ActionName::new(r.response.as_str())),
        },
    }
}
