//! Time expressions: the grammar's partial forms ([`TimeForm`]: "sexta", "às 15h", "dia
//! 12"), their resolution against the reference time, and the rules that build them.
//!
//! Resolution leans to the future, as a scheduler wants: a form without a date is the
//! first matching moment at or after now ("sexta" on a Saturday is next Friday; "às 8h"
//! after 8h is tomorrow); a weekday or a day of the month never means the one under way
//! ("terça" on a Tuesday is next week's, as in Duckling); an hour written without
//! "h"/"da tarde"/"da manhã" ("às 3") may be either half of the day and takes the next
//! one (15h at 04:30). "passado"/"passada" search backwards instead.

mod lexicon;
mod period;
mod preds;
mod resolve;
mod rules_clock;
mod rules_date;
mod rules_interval;
mod rules_relative;
#[cfg(test)]
mod tests;

pub(super) use lexicon::scan;
pub(super) use period::{Period, Point};
pub(super) use resolve::{Resolved, resolve};

use super::chart::{Node, PartOfDay, Rule};
use jiff::civil::Weekday;

/// An hour of the clock; `ambiguous` when written without a half of the day ("às 3"
/// may be 3h or 15h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hour {
    /// 0–23.
    pub h: i8,
    /// Whether `h + 12` is meant as much as `h`.
    pub ambiguous: bool,
}

/// A time as constraints: the moment meant is the first one (after now, or inside
/// `anchor`) that satisfies them all.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct TimeForm {
    /// A fixed period to search in ("amanhã", "semana que vem"); alone, the value itself.
    pub anchor: Option<Period>,
    /// Year.
    pub year: Option<i16>,
    /// Month, 1–12.
    pub month: Option<i8>,
    /// Day of the month.
    pub day: Option<i8>,
    /// Day of the week.
    pub weekday: Option<Weekday>,
    /// Hour.
    pub hour: Option<Hour>,
    /// Minute.
    pub minute: Option<i8>,
    /// Part of the day; without an hour it makes the form an interval.
    pub pod: Option<PartOfDay>,
    /// Search backwards from now ("terça passada").
    pub past: bool,
    /// Not reported alone ("mar" might be the sea): only inside larger expressions.
    pub latent: bool,
}

impl TimeForm {
    /// A form anchored to a fixed period.
    pub fn at(period: Period) -> Self {
        Self {
            anchor: Some(period),
            ..Self::default()
        }
    }

    /// Whether any calendar field is set.
    pub fn has_date(&self) -> bool {
        self.year.is_some() || self.month.is_some() || self.day.is_some() || self.weekday.is_some()
    }

    /// Whether a calendar field other than the weekday is set.
    pub fn has_date_besides_weekday(&self) -> bool {
        self.year.is_some() || self.month.is_some() || self.day.is_some()
    }

    /// Whether only clock fields (hour, minute) are set.
    pub fn is_clock(&self) -> bool {
        self.hour.is_some() && !self.has_date() && self.anchor.is_none() && self.pod.is_none()
    }

    /// Both sets of constraints at once, or `None` when they contradict.
    pub fn merge(&self, other: &Self) -> Option<Self> {
        fn one<T: PartialEq + Copy>(a: Option<T>, b: Option<T>) -> Result<Option<T>, ()> {
            match (a, b) {
                (Some(x), Some(y)) if x != y => Err(()),
                (Some(x), _) | (_, Some(x)) => Ok(Some(x)),
                _ => Ok(None),
            }
        }
        let anchor = match (&self.anchor, &other.anchor) {
            (Some(_), Some(_)) => return None,
            (a, b) => a.or(*b),
        };
        // Two hours are a contradiction even when equal ("3h 3h" is no time).
        if self.hour.is_some() && other.hour.is_some() {
            return None;
        }
        Some(Self {
            anchor,
            year: one(self.year, other.year).ok()?,
            month: one(self.month, other.month).ok()?,
            day: one(self.day, other.day).ok()?,
            weekday: one(self.weekday, other.weekday).ok()?,
            hour: self.hour.or(other.hour),
            minute: one(self.minute, other.minute).ok()?,
            pod: one(self.pod, other.pod).ok()?,
            past: self.past || other.past,
            latent: self.latent && other.latent,
        })
    }
}

/// A time expression as the grammar builds it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TimeNode {
    /// Constraints, resolved at the end.
    Form(TimeForm),
    /// From the start of the form on ("a partir das 14h").
    After(TimeForm),
    /// Until the start of the form ("antes do meio-dia", "até sexta").
    Before(TimeForm),
    /// From the start of the first form to the end of the second, read after the
    /// first ("entre 14h e 16h"); kept as forms so a date can still apply to both
    /// ("entre 14h e 16h dia 12").
    Between(TimeForm, TimeForm),
    /// A resolved interval.
    Interval(Option<Point>, Option<Point>),
}

impl TimeNode {
    /// Whether it is only a part of larger expressions.
    pub fn is_latent(&self) -> bool {
        matches!(self, Self::Form(f) if f.latent)
    }

    /// The form, when it is one.
    pub fn form(&self) -> Option<&TimeForm> {
        match self {
            Self::Form(f) => Some(f),
            _ => None,
        }
    }
}

/// The form inside a time node, if the node is one.
pub(super) fn form_of<'n>(node: &'n Node<'_>) -> Option<&'n TimeForm> {
    match node {
        Node::Time(t) => t.form(),
        _ => None,
    }
}

/// Wraps a form as a node.
pub(super) fn form_node<'a>(form: TimeForm) -> Node<'a> {
    Node::Time(TimeNode::Form(form))
}

/// Every time rule.
pub(super) fn rules() -> Vec<Rule> {
    let mut rules = rules_date::rules();
    rules.extend(rules_clock::rules());
    rules.extend(rules_relative::rules());
    rules.extend(rules_interval::rules());
    rules
}
