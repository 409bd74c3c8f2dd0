//! `action_store_satisfaction`: the answer to a follow-up's satisfaction question, mapped
//! to a score 1–5 and set in the slot `satisfaction` with the appointment it is about
//! (the server stores it per appointment and tags the lead).

use super::inputs::{latest_entities, say};
use bela_engine::dialogue::actions::{Action, ActionContext, ActionError, ActionResult, BoxFuture};
use bela_engine::dialogue::events::{Event, EventKind};
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::text::fold;
use serde_json::{Value, json};

/// The slot the answer goes to.
pub const SATISFACTION_SLOT: &str = "satisfaction";

/// Words patients answer with, normalised (lower case, no accents), and their score;
/// the first that occurs wins, so negations come before what they negate.
const WORDS: &[(&str, u8)] = &[
    ("nao gostei", 2),
    ("nada bom", 2),
    ("pessim", 1),
    ("horrivel", 1),
    ("odiei", 1),
    ("insatisfeit", 2),
    ("ruim", 2),
    ("mais ou menos", 3),
    ("regular", 3),
    ("razoavel", 3),
    ("otim", 5),
    ("excelente", 5),
    ("perfeit", 5),
    ("amei", 5),
    ("adorei", 5),
    ("maravilhos", 5),
    ("muito bom", 5),
    ("satisfeit", 4),
    ("gostei", 4),
    ("bom", 4),
    ("boa", 4),
];

/// The score an answer gives: the button's `satisfaction` entity, a number 1–5, or the
/// words of the text.
pub fn score_of(tracker: &Tracker) -> Option<u8> {
    let from_entity = |name: &str| {
        latest_entities(tracker, name).find_map(|e| match &e.value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    };
    let valid = |n: u64| u8::try_from(n).ok().filter(|n| (1..=5).contains(n));
    if let Some(n) = from_entity(SATISFACTION_SLOT).and_then(valid) {
        return Some(n);
    }
    if let Some(n) = from_entity("number").and_then(valid) {
        return Some(n);
    }
    let text = fold(tracker.latest_message()?.text.as_deref()?);
    if let Some(n) = text
        .split(|c: char| !c.is_ascii_digit())
        .find_map(|d| d.parse::<u64>().ok())
        .and_then(valid)
    {
        return Some(n);
    }
    WORDS
        .iter()
        .find(|(word, _)| text.contains(word))
        .map(|&(_, n)| n)
}

/// The appointment of the latest follow-up in the conversation (its job's metadata).
fn followed_up_appointment(tracker: &Tracker) -> Option<String> {
    tracker.events().iter().rev().find_map(|e| match &e.kind {
        EventKind::User(user) => {
            let metadata = user.parse_data.metadata.as_ref()?;
            (metadata.get("job_kind")?.as_str()? == "follow_up")
                .then(|| metadata.get("appointment")?.as_str().map(str::to_owned))
                .flatten()
        }
        _ => None,
    })
}

/// Sets the patient's satisfaction with the followed-up appointment and thanks them; a
/// low score tells them the team will get in touch.
pub struct StoreSatisfaction;

impl StoreSatisfaction {
    /// The action's name in the domain.
    pub const NAME: &'static str = "action_store_satisfaction";

    fn answer(ctx: &ActionContext<'_>) -> ActionResult {
        let tracker = ctx.tracker;
        let score = score_of(tracker);
        let text = match score {
            Some(1..=2) => {
                "Sinto muito que não tenha sido como você esperava. 😔 Vou avisar a nossa \
                 equipe, que vai entrar em contato para entender e ajudar."
            }
            Some(3) => "Obrigada pela sinceridade! Vamos trabalhar para melhorar. 💜",
            Some(_) => "Que bom saber! 😍 Obrigada pelo carinho, ficamos muito felizes.",
            None => {
                "Obrigada pelo seu retorno! Ele ajuda a gente a cuidar cada vez melhor de você. 💜"
            }
        };
        let mut result = say(text);
        if let (Some(score), Some(appointment)) = (score, followed_up_appointment(tracker)) {
            let answer = tracker
                .latest_message()
                .and_then(|m| m.text.clone())
                .unwrap_or_default();
            result.events.push(Event::new(
                EventKind::slot(
                    SATISFACTION_SLOT,
                    json!({"appointment": appointment, "score": score, "answer": answer}),
                ),
                ctx.now,
            ));
        }
        result
    }
}

impl Action for StoreSatisfaction {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(std::future::ready(Ok(Self::answer(ctx))))
    }
}
