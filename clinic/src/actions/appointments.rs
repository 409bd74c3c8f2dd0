//! The patient's own upcoming appointments, found by phone number, and how they are
//! worded: the chooser shared by cancel and reschedule, the `appointment` slot, lines
//! and button titles in pt-BR.

use crate::ClinicData;
use crate::availability::day_label;
use crate::calendar::{Appointment, AppointmentStatus, Calendar, CalendarError};
use bela_engine::dialogue::actions::Reply;
use bela_engine::dialogue::events::Button;
use bela_engine::dialogue::tracker::Tracker;
use jiff::Timestamp;
use serde_json::Value;

/// The slot (and entity) holding the chosen appointment's id.
pub(crate) const APPOINTMENT: &str = "appointment";

/// WhatsApp's limit on a reply button's title, in characters.
const TITLE_MAX: usize = 20;

/// The patient's upcoming appointments, sorted out by how many there are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Upcoming {
    /// Nothing booked ahead.
    None,
    /// Exactly one: no need to ask which.
    One(Appointment),
    /// Two or more, earliest first: the patient must choose.
    Several(Vec<Appointment>),
}

impl Upcoming {
    /// All of them, earliest first.
    pub(crate) fn into_vec(self) -> Vec<Appointment> {
        match self {
            Upcoming::None => Vec::new(),
            Upcoming::One(a) => vec![a],
            Upcoming::Several(all) => all,
        }
    }
}

impl From<Vec<Appointment>> for Upcoming {
    fn from(mut all: Vec<Appointment>) -> Self {
        match all.len() {
            0 => Upcoming::None,
            1 => Upcoming::One(all.remove(0)),
            _ => Upcoming::Several(all),
        }
    }
}

/// The active appointments of the conversation's patient (its sender id) that have not
/// started by `now` (Unix seconds), earliest first. One already under way can no longer
/// be cancelled, moved or confirmed, so it is left out although the calendar's
/// [`Calendar::upcoming`] (which goes by the end) returns it.
pub(crate) async fn upcoming_appointments(
    tracker: &Tracker,
    now: f64,
    calendar: &dyn Calendar,
) -> Result<Upcoming, CalendarError> {
    let now = Timestamp::from_second(now as i64).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut all = calendar.upcoming(tracker.sender_id().as_str(), now).await?;
    all.retain(|a| a.start.timestamp() > now);
    Ok(all.into())
}

/// The `appointment` slot's id, as text (a number typed in a payload counts too).
pub(crate) fn chosen_id(tracker: &Tracker) -> Option<String> {
    match tracker.slot(APPOINTMENT)? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The procedure's name in the catalogue (its id when the catalogue no longer has it).
pub(crate) fn procedure_name(data: &ClinicData, a: &Appointment) -> String {
    data.catalogue
        .procedure(a.procedure.as_str())
        .map_or_else(|| a.procedure.to_string(), |p| p.name.clone())
}

/// When it starts, in the clinic's time zone: `sexta, 04/12 às 15:00`.
pub(crate) fn when(data: &ClinicData, a: &Appointment) -> String {
    day_label(&a.start.with_time_zone(data.config.time_zone.clone()))
}

/// `*Toxina botulínica* – sexta, 04/12 às 15:00`.
pub(crate) fn summary(data: &ClinicData, a: &Appointment) -> String {
    format!("*{}* – {}", procedure_name(data, a), when(data, a))
}

/// A bullet line for lists, with whether it is confirmed.
pub(crate) fn line_with_status(data: &ClinicData, a: &Appointment) -> String {
    let status = if a.status == AppointmentStatus::Confirmed {
        "confirmado ✅"
    } else {
        "aguardando confirmação"
    };
    format!("• {} ({status})", summary(data, a))
}

/// A button choosing `a`: `04/12 15:00 Toxina` (as many whole words of the procedure as
/// fit WhatsApp's 20 characters), sending `/inform{"appointment": "<id>"}`.
pub(crate) fn choice_button(data: &ClinicData, a: &Appointment) -> Button {
    let start = a.start.with_time_zone(data.config.time_zone.clone());
    let mut title = start.strftime("%d/%m %H:%M").to_string();
    let name = procedure_name(data, a);
    let mut words = name.split_whitespace();
    if let Some(first) = words.next() {
        append_within(&mut title, first);
        for word in words {
            if title.chars().count() + 1 + word.chars().count() > TITLE_MAX {
                break;
            }
            title.push(' ');
            title.push_str(word);
        }
    }
    Button {
        title,
        payload: format!(
            "/inform{{\"{APPOINTMENT}\": {}}}",
            Value::from(a.id.as_str())
        ),
        extra: serde_json::Map::new(),
    }
}

/// Appends ` word` to `title`, cut with `…` where it would pass [`TITLE_MAX`].
fn append_within(title: &mut String, word: &str) {
    let room = TITLE_MAX.saturating_sub(title.chars().count() + 1);
    if room == 0 {
        return;
    }
    title.push(' ');
    if word.chars().count() <= room {
        title.push_str(word);
    } else {
        title.extend(word.chars().take(room - 1));
        title.push('…');
    }
}

/// A reply button sending `payload` (an intent, `/book_appointment`).
pub(crate) fn intent_button(title: &str, payload: &str) -> Button {
    Button {
        title: title.to_owned(),
        payload: payload.to_owned(),
        extra: serde_json::Map::new(),
    }
}

/// "No upcoming appointment on this number", offering to book one.
pub(crate) fn no_upcoming() -> Reply {
    let mut reply = Reply::text(
        "Não encontrei nenhum agendamento futuro neste número. 🤔\n\
         Quer agendar um horário?",
    );
    reply.data.buttons = vec![intent_button("Agendar horário", "/book_appointment")];
    reply
}
